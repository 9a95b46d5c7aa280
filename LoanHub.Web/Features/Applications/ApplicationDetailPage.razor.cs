using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace LoanHub.Web.Features.Applications;

public partial class ApplicationDetailPage
{
    [Parameter] public string Id { get; set; } = "";
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;
    [Inject] private ApplicationsService Service { get; set; } = null!;

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

    private static string Money(decimal amount) => $"¥{amount:N2}";

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

    private static string LinkLabel(LinkKind kind) => kind switch
    {
        LinkKind.NationalId => "same national ID",
        LinkKind.Phone => "shared phone",
        _ => "shared device",
    };

    private static string Attribute(ScoredAttribute attribute) => attribute switch
    {
        ScoredAttribute.MonthlyIncome => "Monthly income",
        ScoredAttribute.DebtToIncome => "Debt to income",
        ScoredAttribute.LoanToIncome => "Loan to income",
        ScoredAttribute.Bureau => "Bureau score",
        _ => attribute.ToString(),
    };
}
