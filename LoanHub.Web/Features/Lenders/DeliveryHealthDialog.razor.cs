using System.Globalization;
using System.Security.Claims;
using LoanHub.Core.Delivery;
using LoanHub.Core.Engine;
using LoanHub.Web.Components;
using LoanHub.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Lenders;

public partial class DeliveryHealthDialog
{
    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = null!;
    [Parameter, EditorRequired] public string LenderCode { get; set; } = "";
    [Parameter, EditorRequired] public ClaimsPrincipal User { get; set; } = null!;
    [Parameter] public bool CanEdit { get; set; }
    /// <summary>The page's resume of the lender (audited as every resume); the service checks the right again.</summary>
    [Parameter, EditorRequired] public Func<Task<CatalogResult>> Resume { get; set; } = null!;

    [Inject] private LenderDeliveryService Delivery { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<LendersStrings> L { get; set; } = null!;

    private LenderHealthView? view;
    private string? loadError;
    private LatencyChartData chart = LatencyChartData.Empty;
    private bool resuming;
    private bool changed;

    private readonly LineChartOptions chartOptions = new()
    {
        ChartPalette = ["#E15759", "#1f5aa6"],
        MaxNumYAxisTicks = 6,
        ConnectNullPoints = true,
        ClampToZero = true,
        ShowDataMarkers = true,
        YAxisToStringFunc = value => value.ToString("N0", CultureInfo.InvariantCulture),
    };

    private int WindowMinutes => (int)Math.Round((view?.Window ?? Delivery.HealthWindow).TotalMinutes);

    private string WindowText => view?.Latency is [.., var last]
        ? L["Attempts that ended in the last {0} minutes, up to {1} (China Standard Time).", WindowMinutes,
            last.EndsAt.ToOffset(BusinessDay.ChinaStandardTime).ToString("HH:mm:ss", CultureInfo.InvariantCulture)]
        : L["Attempts that ended in the last {0} minutes.", WindowMinutes];

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            loadError = null;
            var found = await Delivery.HealthAsync(User, LenderCode);
            if (found is not [var health])
            {
                loadError = L["the lender {0} no longer exists; reload the page.", LenderCode];
                return;
            }
            view = health;
            chart = LatencyChartData.Build(health.Latency);
        }
        catch (Exception e)
        {
            loadError = e.Message;
        }
    }

    private IEnumerable<Figure> Figures
    {
        get
        {
            if (view is null) yield break;
            var h = view.Health;
            yield return new("attempts", L["Attempts"], h.Attempts.ToString("N0", CultureInfo.InvariantCulture), null);
            yield return new("precheck", L["Pre-check acceptance"], Share(h.PrecheckAcceptance),
                h.Prechecks == 0 ? L["no pre-checks"] : L["{0:N0} of {1:N0} accepted", h.PrechecksAccepted, h.Prechecks]);
            yield return new("post", L["Post acceptance"], Share(h.PostAcceptance),
                h.Posts == 0 ? L["no posts"] : L["{0:N0} of {1:N0} accepted", h.PostsAccepted, h.Posts]);
            yield return new("failure", L["Failure rate"], Share(h.FailureRate), L["timeouts and errors"], h.FailureRate > 0 ? Color.Error : Color.Default);
            yield return new("timeouts", L["Timeouts"], h.Timeouts.ToString("N0", CultureInfo.InvariantCulture), null, h.Timeouts > 0 ? Color.Warning : Color.Default);
            yield return new("errors", L["Errors"], h.Errors.ToString("N0", CultureInfo.InvariantCulture), null, h.Errors > 0 ? Color.Error : Color.Default);
            yield return new("p50", L["Latency p50"], Ms(h.P50LatencyMs), L["pre-check and post"]);
            yield return new("p95", L["Latency p95"], Ms(h.P95LatencyMs), L["pre-check and post"]);
        }
    }

    private static string Share(double? share) => share is { } s ? ConsoleFormat.Percent(s, decimals: 0) : "—";

    private static string Ms(int? ms) => ms is { } v ? $"{v.ToString("N0", CultureInfo.InvariantCulture)} ms" : "—";

    private async Task ResumeAsync()
    {
        if (!await Dialogs.ConfirmAsync(L["Resume lender"],
                L["{0} will receive leads again on its active products. It was paused because its endpoint kept failing: check that it answers (send a test pre-check) first.", LenderCode],
                L["Resume"]))
            return;
        resuming = true;
        try
        {
            var result = await Resume();
            if (result.Succeeded)
            {
                changed = true;
                Snackbar.Add(L["{0} is active again.", LenderCode], Severity.Success);
                await LoadAsync();
            }
            else
            {
                Snackbar.Add(result.Message is null ? L["The lender was not resumed."] : L.Said(result), result.Status == CatalogStatus.Conflict ? Severity.Warning : Severity.Error);
            }
        }
        catch (Exception e)
        {
            Snackbar.Add(L["The lender was not resumed: {0}", e.Message], Severity.Error);
        }
        finally
        {
            resuming = false;
        }
    }

    private void Close() => MudDialog.Close(DialogResult.Ok(changed));

    private sealed record Figure(string Id, string Label, string Value, string? Detail, Color Colour = Color.Default);
}

/// <summary>The latency chart of a health window: one label per minute (every third shown), p50 and p95 with gaps where no attempt ended.</summary>
public sealed record LatencyChartData(string[] Labels, List<ChartSeries<double>> Series)
{
    public static LatencyChartData Empty { get; } = new([], []);

    public static LatencyChartData Build(IReadOnlyList<LatencyMinute> minutes)
    {
        // Counted back from the last minute, so the latest is always labelled.
        var labels = minutes
            .Select((m, i) => (minutes.Count - 1 - i) % 3 == 0 ? m.EndsAt.ToOffset(BusinessDay.ChinaStandardTime).ToString("HH:mm", CultureInfo.InvariantCulture) : "")
            .ToArray();
        return new(labels,
        [
            // p95 first, so that p50 is drawn over it where a minute has one attempt and the two are equal.
            Line("p95", minutes.Select(m => (double?)m.P95Ms).ToList()),
            Line("p50", minutes.Select(m => (double?)m.P50Ms).ToList()),
        ]);
    }

    private static ChartSeries<double> Line(string name, IReadOnlyList<double?> values) => new()
    {
        Name = name,
        Data = new ChartData<double>(values),
        TooltipTitleFormat = "{{SERIES_NAME}}: {{Y_VALUE}} ms",
    };
}
