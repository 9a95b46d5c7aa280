using System.Net;
using LoanHub.Tests.Web.Features.Account;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Access;

/// <summary>
/// Every endpoint and page the real host maps, read from its endpoint data sources, against the access table held
/// here: an endpoint missing from the table fails, so nothing new can be mapped without saying who may use it.
/// </summary>
public class AccessTableTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Anonymous = "anonymous";
    private const string Password = "Access-Table-Passw0rd";
    private static readonly string[] Everyone = [Anonymous, .. Roles.All];
    private static readonly string[] SignedIn = [.. Roles.All];
    // Written out role by role, not read from Policies: a policy widened in the code must fail here.
    private static readonly string[] Business = [Roles.Admin, Roles.OperationsManager, Roles.Analyst];
    private static readonly string[] Reviewers = [Roles.Admin, Roles.ComplianceReviewer];
    private static readonly string[] Auditors = [Roles.Admin, Roles.OperationsManager, Roles.ComplianceReviewer];
    private static readonly string[] Admins = [Roles.Admin];

    /// <summary>Who may use each endpoint: "METHODS /pattern" to the roles let in (anonymous: no sign-in needed).</summary>
    private static readonly Dictionary<string, string[]> Table = new()
    {
        // Sign-in pages and the pages an error or refusal lands on.
        ["GET,POST /Account/Login"] = Everyone,
        ["GET,POST /Account/LoginWith2fa"] = Everyone,
        ["GET,POST /Account/Lockout"] = Everyone,
        ["GET,POST /Account/AccessDenied"] = Everyone,
        ["GET,POST /Error"] = SignedIn, // an anonymous visitor whose request fails is sent to sign in
        ["GET,POST /not-found"] = Everyone,
        ["GET,POST /Account/ChangePassword"] = SignedIn,
        ["GET,POST /Account/EnableAuthenticator"] = SignedIn,
        ["POST /Account/Logout"] = SignedIn,
        ["POST /Account/Language"] = Everyone, // the sign-in pages have the language switch too
        // Console pages, one policy each.
        ["GET,POST /"] = SignedIn,
        ["GET,POST /applications"] = SignedIn,
        ["GET,POST /applications/{Id}"] = SignedIn,
        // Signed-in only at the endpoint; the page's policy is checked in the handler (a plain 403, not a redirect).
        ["GET /applications/export.csv"] = SignedIn,
        ["GET,POST /audit"] = Auditors,
        // Whoever handles what alerts are about; the rules on the page are for admins, checked in AlertBook.
        ["GET,POST /alerts"] = Auditors,
        // Signed-in only at the endpoint; the audit policy is checked in the handler (a plain 403).
        ["GET /audit/export.csv"] = SignedIn,
        ["GET,POST /lenders"] = Business,
        ["GET /lenders/export.json"] = Business,
        ["GET,POST /reports"] = Business,
        // Signed-in only at the endpoint; the Reports policy is checked in the handler (a plain 403, not a redirect).
        ["GET /reports/commissions.xlsx"] = SignedIn,
        ["GET /reports/exports/{token:guid}"] = SignedIn,
        ["GET,POST /review"] = Reviewers,
        ["GET,POST /review/{CaseId:guid}"] = Reviewers,
        ["GET,POST /routing"] = Business,
        // Signed-in only at the endpoint; the routing-read policy is checked in the handler (a plain 403).
        ["GET /routing/insights.json"] = SignedIn,
        ["GET /routing/suggestion.json"] = SignedIn,
        ["GET,POST /sources"] = Business,
        ["GET,POST /admin/users"] = Admins,
        ["GET,POST /admin/blocklist"] = Admins,
        // Every role reads the risk policy (reviewers work the cases it sends them); only admins change it, checked in RiskPolicyService.
        ["GET,POST /risk"] = SignedIn,
        // The Blazor circuit and framework endpoints: signed-in users, by the fallback policy.
        ["* /_blazor"] = SignedIn,
        ["* /_blazor/negotiate"] = SignedIn,
        ["* /_blazor/disconnect/"] = SignedIn,
        ["* /_blazor/initializers/"] = SignedIn,
        ["GET /_framework/opaque-redirect"] = SignedIn,
        ["GET,HEAD {**path:file}"] = SignedIn,
        // Health and the partner APIs, whose credential is the API key checked in each handler.
        ["* /healthz"] = Everyone,
        ["POST /api/v1/applications/"] = Everyone,
        ["GET /api/v1/applications/{id:guid}"] = Everyone,
        ["GET /api/v1/leads"] = Everyone,
        ["POST /api/v1/postbacks"] = Everyone,
        ["GET /openapi/{documentName}.json"] = Everyone,
        // The demo lenders, mapped only in demo mode.
        ["POST /demo-lenders/{code}/{stage}"] = Everyone,
    };

    [Fact]
    public void Every_mapped_endpoint_is_in_the_access_table_and_its_metadata_lets_in_exactly_the_roles_it_lists()
    {
        var problems = new List<string>();
        foreach (var (source, endpoint) in MappedEndpoints())
        {
            var allowed = AllowedBy(endpoint);
            // MapStaticAssets serves the files of wwwroot and the packages, from a data source of its own.
            if (source.GetType().Name == "StaticAssetsEndpointDataSource")
            {
                if (!allowed.SequenceEqual(Everyone.Order())) problems.Add($"static asset {endpoint.RoutePattern.RawText} is not anonymous");
                continue;
            }
            var key = Key(endpoint);
            if (!Table.TryGetValue(key, out var expected))
                problems.Add($"not in the table: [\"{key}\"] = {string.Join(", ", allowed)}");
            else if (!allowed.SequenceEqual(expected.Order()))
                problems.Add($"{key}: lets in {string.Join(", ", allowed)}, the table says {string.Join(", ", expected.Order())}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public static TheoryData<string, string, string> Sample => new()
    {
        { "/admin/users", Anonymous, "login" }, { "/admin/users", Roles.Admin, "200" },
        { "/admin/users", Roles.OperationsManager, "denied" },
        { "/admin/users", Roles.Analyst, "denied" },
        { "/lenders", Roles.Analyst, "200" },
        { "/lenders", Roles.ComplianceReviewer, "denied" },
        { "/review", Roles.ComplianceReviewer, "200" },
        { "/review", Roles.OperationsManager, "denied" },
        { "/audit", Roles.Analyst, "denied" },
        { "/risk", Roles.ComplianceReviewer, "200" }, { "/risk", Anonymous, "login" },
        { "/", Anonymous, "login" }, { "/", Roles.Analyst, "200" },
        { "/healthz", Anonymous, "200" },
    };

    [Theory]
    [MemberData(nameof(Sample))]
    public async Task A_page_answers_each_role_as_the_access_table_says(string path, string role, string answer)
    {
        var client = role == Anonymous ? AccountClient.For(host) : (await AccountClient.SignedInAsNewUserAsync(host, role, Password)).Client;
        // The sample agrees with the table before it is checked against the app.
        Assert.Equal(answer == "200", Table.Single(t => t.Key.EndsWith(" " + path, StringComparison.Ordinal)).Value.Contains(role));
        var redirect = await client.RedirectOfAsync(path);
        switch (answer)
        {
            case "200": Assert.Null(redirect); break;
            case "login": Assert.Contains("/Account/Login", redirect, StringComparison.Ordinal); break;
            default: Assert.Contains("/Account/AccessDenied", redirect, StringComparison.Ordinal); break;
        }
    }

    [Fact]
    public async Task A_user_change_by_an_admin_whose_role_was_removed_after_the_page_opened_is_refused_and_changes_nothing()
    {
        var users = host.Services.GetRequiredService<UserAdminService>();
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        var target = (await users.ListAsync()).Single(u => u.Email == email);
        // The page opened as an admin; the session now carries only the role that is left.
        var demoted = TestUsers.Principal("demoted-admin@test.local", Roles.OperationsManager);

        var created = await users.CreateAsync(demoted, new NewUser($"x-{Guid.NewGuid():N}@test.local", "X", Password, [Roles.Admin]));
        var promoted = await users.SetRolesAsync(demoted, target.Id, [Roles.Admin]);
        var locked = await users.SetLockedAsync(demoted, target.Id, true);

        Assert.All([created, promoted, locked], r => Assert.Equal(UserResult.Forbidden, r));
        var after = (await users.ListAsync()).Single(u => u.Email == email);
        Assert.Equal((IReadOnlyList<string>)[Roles.Analyst], after.Roles);
        Assert.False(after.IsLockedOut);
        await using var db = host.CreateDbContext();
        Assert.False(await db.Audit.AnyAsync(a => a.Actor == "demoted-admin@test.local"));
        Assert.Equal(target.Id, (await users.ListAsync()).Single(u => u.Email == email).Id);
    }

    private IEnumerable<(EndpointDataSource Source, RouteEndpoint Endpoint)> MappedEndpoints()
    {
        var sources = new Stack<EndpointDataSource>(host.Services.GetServices<EndpointDataSource>());
        while (sources.TryPop(out var source))
        {
            if (source is CompositeEndpointDataSource composite)
            {
                foreach (var inner in composite.DataSources) sources.Push(inner);
                continue;
            }
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>()) yield return (source, endpoint);
        }
    }

    private static string Key(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is { Count: > 0 } ? string.Join(",", methods) : "*")} {endpoint.RoutePattern.RawText}";
    }

    /// <summary>The roles the endpoint's metadata lets in, as the authorization middleware would with the fallback policy.</summary>
    private static string[] AllowedBy(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return [.. Everyone.Order()];
        IEnumerable<string> allowed = SignedIn;
        foreach (var data in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            if (data.Policy is { } policy) allowed = allowed.Intersect(Policies.RolesByPolicy[policy]);
            if (data.Roles is { } roles) allowed = allowed.Intersect(roles.Split(',', StringSplitOptions.TrimEntries));
        }
        return [.. allowed.Order()];
    }
}
