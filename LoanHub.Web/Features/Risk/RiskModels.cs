using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Routing;

namespace LoanHub.Web.Features.Risk;

public sealed record RiskVersionRow(int Version, RiskPolicy Policy, string Comment, string CreatedBy, DateTimeOffset CreatedAt, bool IsActive,
    int? RestoredFromVersion, BacktestSummary? Backtest);

public sealed record RiskPolicyView(int ActiveVersion, RiskPolicy Active, IReadOnlyList<RiskVersionRow> Versions);

/// <param name="Stage">What the backtest is doing, a key of <see cref="RiskStrings"/> (<see cref="RiskPolicyService.LoadingStage"/>, …).</param>
public sealed record BacktestProgress(string Stage, int Done);

/// <summary>
/// A backtest of one proposal, with the receipt (<see cref="SimulationReceipt"/>, sealed by the same <see cref="SimulationSeal"/> as the
/// routing what-if) that lets <see cref="RiskPolicyService"/> save exactly that proposal on exactly the version it ran against.
/// </summary>
public sealed record RiskBacktestRun(RiskBacktestResult Result, int Days, DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    IReadOnlyDictionary<SourceId, string> SourceNames, SimulationReceipt Receipt)
{
    public BacktestSummary Summary => BacktestSummary.Of(this);
}

/// <summary>The figures of a backtest a risk policy version keeps, shown in the version list and the audit.</summary>
public sealed record BacktestSummary(int Days, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int Replayed, int Moved,
    int RoutedBefore, int RoutedAfter, int ReviewBefore, int ReviewAfter, int RejectedBefore, int RejectedAfter,
    int NewlyRouted, double? NewlyRoutedApprovalRate, bool ReplayedHistory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static BacktestSummary Of(RiskBacktestRun run)
    {
        var moves = run.Result.Moves;
        return new(run.Days, run.WindowStart, run.WindowEnd, moves.Total, moves.Moved,
            moves.From(Decision.Route), moves.To(Decision.Route), moves.From(Decision.Review), moves.To(Decision.Review),
            moves.From(Decision.Reject), moves.To(Decision.Reject), run.Result.NewlyRouted, run.Result.NewlyRoutedApprovalRate, run.Result.ReplayedHistory);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BacktestSummary? FromJson(string json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<BacktestSummary>(json, Json);

}
