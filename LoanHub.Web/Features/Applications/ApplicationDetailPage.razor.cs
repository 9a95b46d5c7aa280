using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using LoanHub.Web.Features.Review;
using MudBlazor;

namespace LoanHub.Web.Features.Applications;

public partial class ApplicationDetailPage
{
    [Parameter] public string Id { get; set; } = "";
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;
    [Inject] private ApplicationsService Service { get; set; } = null!;
    [Inject] private IStringLocalizer<ApplicationsStrings> L { get; set; } = default!;
    /// <summary>What each fraud signal means and where a review stands, worded as the review pages word them.</summary>
    [Inject] private IStringLocalizer<ReviewStrings> ReviewWords { get; set; } = default!;

    private ApplicationDetail? detail;
    private bool loading = true;
    private bool notFound;
    private string? error;
    private ClaimsPrincipal user = new();

    protected override async Task OnParametersSetAsync()
    {
        loading = true;
        notFound = false;
        error = null;
        detail = null;
        user = (await AuthenticationState).User;
        if (!ApplicationId.TryParse(Id, out var id))
        {
            notFound = true;
            loading = false;
            return;
        }
        try
        {
            detail = await Service.GetAsync(id);
            notFound = detail is null;
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        finally
        {
            loading = false;
        }
    }

    private Task<string> RevealAsync(PersonalField field) => Service.RevealAsync(detail!.Id, field, user);


    private static string InSentence(string label) => ApplicationText.InSentence(label);

    private static string Points(decimal points) => points.ToString("+0.#;-0.#;0", System.Globalization.CultureInfo.InvariantCulture);

    private static Color SeverityColor(SignalSeverity severity) => severity switch
    {
        SignalSeverity.Review => Color.Warning,
        _ => Color.Error,
    };

    private static Color TierColor(RiskTier tier) => tier switch
    {
        RiskTier.A or RiskTier.B => Color.Success,
        RiskTier.C => Color.Info,
        RiskTier.D => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>The other members of the ring, with what links each of them to the rest.</summary>
    private static IEnumerable<(ClusterMember Member, IReadOnlyList<LinkKind> Links)> OtherMembers(FraudCluster cluster, ApplicationId self) =>
        cluster.Members.Where(m => m.ApplicationId != self)
            .Select(m => (m, (IReadOnlyList<LinkKind>)[.. cluster.Links.Where(l => l.Applications.Contains(m.ApplicationId)).Select(l => l.Kind).Distinct()]));

    private string LinkLabel(LinkKind kind) => kind switch
    {
        LinkKind.NationalId => L["same national ID"],
        LinkKind.Phone => L["shared phone"],
        _ => L["shared device"],
    };

    /// <summary>"2 × shared phone, 1 × shared device".</summary>
    private string LinkCounts(FraudCluster cluster) =>
        string.Join(L[", "], cluster.Links.GroupBy(l => l.Kind).Select(g => $"{g.Count()} × {LinkLabel(g.Key)}"));

    private string LinkedBy(IReadOnlyList<LinkKind> links) =>
        links.Count == 0 ? L["linked through the ring"] : string.Join(L[", "], links.Select(LinkLabel));

    private string LeadStatus(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => L["Delivered"],
        DeliveryStatus.Approved => L["Approved by the lender"],
        DeliveryStatus.Declined => L["Declined"],
        _ => L["Funded"],
    };

    private string SeverityText(SignalSeverity severity) => severity switch
    {
        SignalSeverity.Review => L["Review"],
        SignalSeverity.Reject => L["Reject"],
        _ => L["Duplicate"],
    };
}
