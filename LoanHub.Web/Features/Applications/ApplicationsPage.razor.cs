using LoanHub.Core.Domain;
using LoanHub.Web.Features.Dashboard;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The applications list. Its filters live in the address (<see cref="ApplicationQuery"/>): a change navigates, the address
/// is read back here, and the table follows it, so a copied address opens the same list and Back returns to the previous
/// filter. The national ID or phone search stays on the page only.
/// </summary>
public sealed partial class ApplicationsPage
{
    [Inject] private ApplicationsService Service { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [SupplyParameterFromQuery(Name = ApplicationQuery.Status)] public string? StatusQuery { get; set; }
    [SupplyParameterFromQuery(Name = ApplicationQuery.Tier)] public string? TierQuery { get; set; }
    [SupplyParameterFromQuery(Name = ApplicationQuery.Source)] public string? SourceQuery { get; set; }
    [SupplyParameterFromQuery(Name = ApplicationQuery.Lender)] public string? LenderQuery { get; set; }
    [SupplyParameterFromQuery(Name = ApplicationQuery.From)] public string? FromQuery { get; set; }
    [SupplyParameterFromQuery(Name = ApplicationQuery.To)] public string? ToQuery { get; set; }
    [SupplyParameterFromQuery(Name = ApplicationQuery.Cause)] public string? CauseQuery { get; set; }

    private MudTable<ApplicationRow>? table;
    private ApplicationFilterOptions? options;
    /// <summary>The filter of the address, which the table shows (with the search below).</summary>
    private ApplicationFilter shown = new();
    private UnmatchedBreakdown? causes;
    private string? idOrPhone, idOrPhoneError;
    // The search the table shows: while the box holds an invalid number, the last valid search stays on screen.
    private string? searchedIdOrPhone;
    // The fields as the user sets them; the address changes only once they make a valid filter.
    private ApplicationStatus? status;
    private RiskTier? tier;
    private SourceId? source;
    private LenderId? lender;
    private DateTime? from, to;
    private bool capped;
    private string? error;

    // MudBlazor fills in {first_item}, {last_item} and {all_items}; past the cap the total is open-ended.
    private string PagerInfo => capped
        ? L["{{first_item}}-{{last_item}} of {0:N0}+", ApplicationsService.CountCap]
        : L["{first_item}-{last_item} of {all_items}"];

    private static string ScoreText(ApplicationRow row) => row.Score is { } score ? $"{score} · {row.Tier}" : "–";

    private static string RoutedTo(ApplicationRow row) => row.LenderCode is null ? "–" : $"{row.LenderCode} · {row.ProductCode}";

    private bool RangeInvalid => from is { } f && to is { } t && f > t;

    private bool HasFilters => !string.IsNullOrWhiteSpace(idOrPhone) || shown != new ApplicationFilter() || status is not null || tier is not null
                               || source is not null || lender is not null || from is not null || to is not null;

    /// <summary>The export of what the table shows; none for a search by national ID or phone, which is not exported.</summary>
    private string? ExportUrl => searchedIdOrPhone is null && options is not null ? ApplicationQuery.Url(ApplicationQuery.ExportPath, shown, options) : null;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            options = await Service.GetFilterOptionsAsync();
        }
        catch (Exception e)
        {
            error = e.Message;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var filter = ApplicationQuery.Parse(name => name switch
        {
            ApplicationQuery.Status => StatusQuery,
            ApplicationQuery.Tier => TierQuery,
            ApplicationQuery.Source => SourceQuery,
            ApplicationQuery.Lender => LenderQuery,
            ApplicationQuery.From => FromQuery,
            ApplicationQuery.To => ToQuery,
            _ => CauseQuery,
        }, options ?? ApplicationFilterOptions.None);
        (status, tier, source, lender) = (filter.Status, filter.Tier, filter.Source, filter.Lender);
        (from, to) = (filter.From?.ToDateTime(TimeOnly.MinValue), filter.To?.ToDateTime(TimeOnly.MinValue));
        if (filter == shown && causes is not null) return;
        shown = filter;
        await ReloadAsync();
    }

    private async Task<TableData<ApplicationRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Service.SearchAsync(shown with { IdOrPhone = searchedIdOrPhone }, state.Page, state.PageSize, (await AuthenticationState).User,
                cancellationToken);
            capped = page.TotalIsCapped;
            error = null;
            return new TableData<ApplicationRow> { Items = page.Rows, TotalItems = page.Total };
        }
        catch (OperationCanceledException)
        {
            return new TableData<ApplicationRow> { Items = [], TotalItems = 0 };
        }
        catch (Exception e)
        {
            error = e.Message;
            return new TableData<ApplicationRow> { Items = [], TotalItems = 0 };
        }
    }

    private Task IdOrPhoneChangedAsync()
    {
        idOrPhoneError = string.IsNullOrWhiteSpace(idOrPhone) || IdentitySearch.TryParse(idOrPhone, out _, out _, out _) ? null : L[IdentitySearch.Problem].Value;
        if (idOrPhoneError is not null) return Task.CompletedTask;
        searchedIdOrPhone = string.IsNullOrWhiteSpace(idOrPhone) ? null : idOrPhone;
        return ReloadAsync();
    }

    private Task RangeChangedAsync() => RangeInvalid ? Task.CompletedTask : FiltersChangedAsync();

    /// <summary>Writes the fields to the address, as a new history entry; the address, read back, reloads the table.</summary>
    private Task FiltersChangedAsync() => ShowAsync(new ApplicationFilter
    {
        Status = status, Tier = tier, Source = source, Lender = lender, From = ChinaTime.Day(from), To = ChinaTime.Day(to),
        // A cause names unmatched applicants: another status leaves it behind.
        Cause = status is null or ApplicationStatus.Unmatched ? shown.Cause : null,
    });

    private Task CauseClickedAsync(UnmatchedCause cause) => ShowAsync(shown with { Cause = shown.Cause == cause ? null : cause });

    private Task ShowAsync(ApplicationFilter filter)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(ApplicationQuery.Parameters(filter, options ?? ApplicationFilterOptions.None)));
        return Task.CompletedTask;
    }

    private async Task ReloadAsync()
    {
        try
        {
            causes = await Service.UnmatchedByCauseAsync(shown with { IdOrPhone = searchedIdOrPhone });
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        if (table is not null) await table.ReloadServerData();
    }

    private Task ClearAsync()
    {
        idOrPhone = idOrPhoneError = searchedIdOrPhone = null;
        if (shown != new ApplicationFilter()) return ShowAsync(new ApplicationFilter());
        (status, tier, source, lender, from, to) = (null, null, null, null, null, null);
        return ReloadAsync();
    }

    private void Open(ApplicationRow? row)
    {
        if (row is not null) Navigation.NavigateTo($"applications/{row.Id}");
    }
}
