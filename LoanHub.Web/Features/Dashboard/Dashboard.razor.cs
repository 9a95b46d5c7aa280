using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Intake;
using Microsoft.AspNetCore.Components;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Dashboard;

/// <summary>The figures everyone opens first; refreshes itself as decisions are committed, at most one load in ten of the machine's time.</summary>
public partial class Dashboard : IDisposable
{
    [Inject] private DashboardService Service { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private EngineHost Engine { get; set; } = null!;
    [Inject] private IStringLocalizer<DashboardStrings> L { get; set; } = null!;

    private DashboardSnapshot? snapshot;
    private string? error;
    private DateTimeOffset loadedAt;
    private List<ChartSeries<double>> series = [];
    private string[] labels = [];
    private List<ChartSeries<double>> shareSeries = [];
    private string[] shareLabels = [];
    private readonly CancellationTokenSource stop = new();
    private int refreshPending;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        if (RendererInfo.IsInteractive)
        {
            Engine.DecisionsCommitted += OnDecisionsCommitted;
            _ = RefreshLoopAsync();
        }
    }

    // New decisions ask for a refresh; the loop below does at most one every two seconds, however busy intake is.
    private void OnDecisionsCommitted() => Interlocked.Exchange(ref refreshPending, 1);

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        var sinceFull = 0;
        var nextAllowed = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                // Also every 30 s without news, so the clock-driven figures (queue age, today) move on.
                if (Interlocked.CompareExchange(ref refreshPending, 0, 0) == 0 && ++sinceFull < 15) continue;
                // On a large store a refresh costs real time: wait ten times as long as the last one took, so an
                // open dashboard never takes more than a tenth of the machine.
                if (Environment.TickCount64 < nextAllowed) continue;
                Interlocked.Exchange(ref refreshPending, 0);
                sinceFull = 0;
                var started = Environment.TickCount64;
                await LoadAsync();
                nextAllowed = Environment.TickCount64 + 10 * (Environment.TickCount64 - started);
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            var loaded = await Service.LoadAsync(stop.Token);
            labels = loaded.PerDay.Select((d, i) => i % 5 == 4 || i == 29 ? d.Day.ToString("MM-dd") : "").ToArray();
            series =
            [
                new ChartSeries<double> { Name = L["Routed"], Data = loaded.PerDay.Select(d => (double)d.Routed).ToArray() },
                new ChartSeries<double> { Name = L["Not routed"], Data = loaded.PerDay.Select(d => (double)d.Other).ToArray() },
            ];
            shareLabels = [.. loaded.LenderShares.Select(l => l.LenderCode)];
            var actual = new ChartSeries<double> { Name = L["Actual %"], Data = loaded.LenderShares.Select(l => Math.Round(l.ActualShare * 100, 1)).ToArray() };
            shareSeries = loaded.HasTargetShares
                ? [actual, new ChartSeries<double> { Name = L["Target %"], Data = loaded.LenderShares.Select(l => Math.Round(l.TargetShare * 100, 1)).ToArray() }]
                : [actual];
            snapshot = loaded;
            loadedAt = Clock.GetUtcNow().ToOffset(BusinessDay.ChinaStandardTime);
            error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
        }
    }

    private string RoutedShare(DashboardSnapshot s) =>
        s.Last30DaysTotal == 0 ? L["none yet"] : L["{0:P0} routed", (double)s.Count(s.Last30Days, ApplicationStatus.Routed) / s.Last30DaysTotal];

    /// <summary>What the share chart compares, under the active strategy.</summary>
    private string ShareCaption(DashboardSnapshot s) => s.Strategy switch
    {
        RoutingStrategy.Weighted => L["Actual share of routed leads against the share the lender's active product weights aim for."],
        RoutingStrategy.Priority => L["Under the priority strategy each applicant goes to the first eligible product in priority order: no share is aimed for, so only the actual share is shown."],
        RoutingStrategy.ExpectedValue => L["Under the expected-value strategy each applicant goes to the product expected to earn the most: no share is aimed for, so only the actual share is shown."],
        _ => L["Under the auction strategy each applicant goes to the lender that bids the most: no share is aimed for, so only the actual share is shown."],
    };

    private string BacklogAge(DashboardSnapshot s, DateTimeOffset now) => s.OldestOpenReview is { } oldest
        ? L["oldest waiting {0}", T.Age(now - oldest)]
        : L["queue is empty"];

    private static Color StatusColor(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Routed => Color.Success,
        ApplicationStatus.InReview => Color.Warning,
        ApplicationStatus.Rejected => Color.Error,
        ApplicationStatus.Duplicate => Color.Secondary,
        _ => Color.Default,
    };

    public void Dispose()
    {
        Engine.DecisionsCommitted -= OnDecisionsCommitted;
        stop.Cancel();
        stop.Dispose();
    }
}
