using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LoanHub.Web.Features.Reports;

public partial class ReportsPage : IDisposable
{
    /// <summary>Above this many entries the page tells the user the download takes a while to start.</summary>
    private const int LargeExport = 50_000;

    [Inject] private CommissionReportService Reports { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    private DateTime? from;
    private DateTime? to;
    private string? lender;
    private string? product;
    private string? source;
    private int overdueDays = CommissionReportService.DefaultOverdueDays;

    private ReportFilter applied = null!;
    private ReportChoices? choices;
    private CommissionPreview? preview;
    private Reconciliation? reconciliation;
    private string? error;
    private bool loading;
    private CancellationTokenSource? running;

    private string? FromError => from is null ? L["Pick the first day."].Value : null;
    private string? ToError => to is null ? L["Pick the last day."].Value : from is not null && to < from ? L["The last day is before the first."].Value : null;
    private bool Invalid => FromError is not null || ToError is not null;

    /// <summary>
    /// Why the workbook cannot be exported now, or null when it can. The workbook is always the preview on screen:
    /// once a filter differs from the one the preview was made with, export waits for the report to be run again.
    /// </summary>
    private string? ExportHint =>
        from is null ? L["Fix the period to export: pick the first day."].Value
        : to is null ? L["Fix the period to export: pick the last day."].Value
        : to < from ? L["Fix the period to export: the last day is before the first."].Value
        : preview is null ? (loading ? null : L["Show a report to export it."].Value)
        : CurrentFilter() != preview.Filter ? L["Run the report again: the filters changed"].Value
        : preview.LedgerEntries > CommissionWorkbook.MaxDetailRows
            ? L["{0:N0} ledger entries do not fit one worksheet: narrow the period or filter by lender.", preview.LedgerEntries].Value
        : null;

    private IReadOnlyList<string> LenderCodes => choices?.Lenders.Select(l => l.Code).ToList() ?? [];
    [Inject] private ReportExports Exports { get; set; } = null!;
    [Inject] private Microsoft.Extensions.Localization.IStringLocalizer<ReportsStrings> L { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthenticationState { get; set; } = null!;

    private bool exporting;
    private long exported;
    private long exportTotal;
    private CancellationTokenSource? export;

    protected override async Task OnInitializedAsync()
    {
        var (first, last) = ReportPeriods.Of(ReportPeriod.ThisMonth, Today);
        from = first.ToDateTime(TimeOnly.MinValue);
        to = last.ToDateTime(TimeOnly.MinValue);
        applied = CurrentFilter();
        try
        {
            choices = await Reports.ChoicesAsync();
        }
        catch (Exception e)
        {
            error = e.Message;
            return;
        }
        await LoadAsync();
    }

    private ReportFilter CurrentFilter() =>
        new(DateOnly.FromDateTime(from!.Value), DateOnly.FromDateTime(to!.Value), lender, product, source);

    private async Task ApplyAsync()
    {
        if (Invalid) return;
        // A product of another lender would make an empty report that looks like a bug.
        if (lender is not null && product is not null && choices?.Products.FirstOrDefault(p => p.Code == product)?.Parent != lender) product = null;
        applied = CurrentFilter();
        await LoadAsync();
    }

    private DateOnly Today => Core.Engine.BusinessDay.Of(Clock.GetUtcNow());

    private bool Shows(ReportPeriod period) =>
        from is not null && to is not null && ReportPeriods.Of(period, Today) == (DateOnly.FromDateTime(from.Value), DateOnly.FromDateTime(to.Value));

    private async Task ShowPeriodAsync(ReportPeriod period)
    {
        var (first, last) = ReportPeriods.Of(period, Today);
        from = first.ToDateTime(TimeOnly.MinValue);
        to = last.ToDateTime(TimeOnly.MinValue);
        await ApplyAsync();
    }

    private string PeriodName(ReportPeriod period) => period switch
    {
        ReportPeriod.Today => L["Today"],
        ReportPeriod.Yesterday => L["Yesterday"],
        ReportPeriod.ThisWeek => L["This week"],
        ReportPeriod.LastWeek => L["Last week"],
        ReportPeriod.ThisMonth => L["This month"],
        ReportPeriod.LastMonth => L["Last month"],
        _ => period.ToString(),
    };

    private async Task OverdueDaysChangedAsync(int days)
    {
        overdueDays = days;
        await LoadAsync();
    }

    private void Cancel() => running?.Cancel();

    private async Task LoadAsync()
    {
        running?.Cancel();
        running?.Dispose();
        var cts = running = new CancellationTokenSource();
        loading = true;
        error = null;
        try
        {
            var loaded = await Reports.PreviewAsync(applied, cts.Token);
            var reconciled = await Reports.ReconcileAsync(applied, overdueDays, cts.Token);
            preview = loaded;
            reconciliation = reconciled;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Snackbar.Add(L["Loading the report was cancelled."], Severity.Info);
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        finally
        {
            if (ReferenceEquals(running, cts)) loading = false;
        }
    }

    // The workbook is built here with progress, then the browser fetches the finished file once.
    private async Task ExportAsync()
    {
        // A date typed and not yet committed commits on the click that follows, so the button may be pressed as it turns disabled.
        if (preview is null || ExportHint is not null)
        {
            Snackbar.Add(ExportHint ?? L["Show a report to export it."], Severity.Warning);
            return;
        }
        var filter = preview.Filter;
        export?.Dispose();
        export = new CancellationTokenSource();
        exporting = true;
        exported = 0;
        exportTotal = preview.LedgerEntries;
        var lastShown = 0L;
        var progress = new Progress<long>(rows =>
        {
            exported = rows;
            if (rows - lastShown < Math.Max(1_000, exportTotal / 50)) return;
            lastShown = rows;
            _ = InvokeAsync(StateHasChanged);
        });
        try
        {
            var user = (await AuthenticationState).User.Identity?.Name ?? "";
            var token = await Task.Run(() => Exports.BuildAsync(filter, user, progress, export.Token), export.Token);
            exported = exportTotal;
            Navigation.NavigateTo($"{ReportsEndpoints.BuiltPath.TrimStart('/')}/{token}", forceLoad: true);
            Snackbar.Add(L["The workbook is ready; your browser is downloading it."], Severity.Success);
        }
        catch (OperationCanceledException)
        {
            Snackbar.Add(L["Export cancelled."], Severity.Info);
        }
        catch (Exception e)
        {
            Snackbar.Add(L["The export failed: {0}", e.Message], Severity.Error);
        }
        finally
        {
            exporting = false;
        }
    }

    private void CancelExport() => export?.Cancel();

    private static string? NameOf(IReadOnlyList<Choice>? choices, string? code) =>
        code is null ? null : choices?.FirstOrDefault(c => c.Code == code)?.Name;

    private string Narrowing(ReportFilter filter) =>
        string.Concat(new[] { (L["lender {0}"], filter.Lender), (L["product {0}"], filter.Product), (L["source {0}"], filter.Source) }
            .Where(f => f.Item2 is not null).Select(f => " · " + string.Format(CultureInfo.CurrentCulture, f.Item1, f.Item2)));

    // Measured on this machine (README): about 110k detail rows per second.
    private static int EstimatedSeconds(int entries) => Math.Max(1, entries / 110_000);

    public void Dispose()
    {
        running?.Cancel();
        running?.Dispose();
        export?.Cancel();
        export?.Dispose();
    }
}
