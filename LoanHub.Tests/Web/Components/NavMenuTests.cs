using LoanHub.Web.Components.Layout;
using LoanHub.Web.Security;

using Bunit;

namespace LoanHub.Tests.Web.Components;

public class NavMenuTests : ComponentTestContext
{
    private IReadOnlyList<string> LinksFor(params string[] roles)
    {
        SignInAs("someone@test.local", roles);
        RenderPopoverProvider();
        var menu = Render<NavMenu>();
        return menu.FindAll("a.mud-nav-link").Select(a => a.TextContent.Trim()).ToList();
    }

    [Fact]
    public void Analyst_sees_no_review_queue_audit_or_users()
    {
        var links = LinksFor(Roles.Analyst);
        Assert.Contains("Dashboard", links);
        Assert.Contains("Reports", links);
        Assert.Contains("Routing", links);
        Assert.DoesNotContain("Review queue", links);
        Assert.DoesNotContain("Audit log", links);
        Assert.DoesNotContain("Users", links);
    }

    [Fact]
    public void Compliance_reviewer_sees_review_but_not_lenders_routing_or_reports()
    {
        var links = LinksFor(Roles.ComplianceReviewer);
        Assert.Contains("Review queue", links);
        Assert.Contains("Applications", links);
        Assert.DoesNotContain("Lenders & products", links);
        Assert.DoesNotContain("Routing", links);
        Assert.DoesNotContain("Reports", links);
    }

    [Fact]
    public void Admin_sees_every_area()
    {
        var links = LinksFor(Roles.Admin);
        Assert.Equal(
            ["Dashboard", "Applications", "Review queue", "Lenders & products", "Routing", "Reports", "Audit log", "Users"],
            links);
    }
}
