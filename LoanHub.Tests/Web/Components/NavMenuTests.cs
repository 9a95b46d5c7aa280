using Bunit;
using LoanHub.Web.Components.Layout;
using LoanHub.Web.Security;

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

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.OperationsManager)]
    [InlineData(Roles.ComplianceReviewer)]
    public void Non_admin_roles_see_the_dashboard_but_not_users(string role)
    {
        var links = LinksFor(role);
        Assert.Contains("Dashboard", links);
        Assert.DoesNotContain("Users", links);
    }

    [Fact]
    public void Admin_sees_every_area_in_menu_order()
    {
        Assert.Equal(ConsoleNavigation.Items.Select(i => i.Title), LinksFor(Roles.Admin));
    }

    [Fact]
    public void User_without_a_console_role_sees_nothing()
    {
        Assert.Empty(LinksFor());
    }
}
