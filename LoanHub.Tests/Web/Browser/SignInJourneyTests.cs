using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public class SignInJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Seeded_admin_signs_in_and_sees_the_dashboard()
    {
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync(LoanHubHost.AdminEmail);
        // The tiles come from the store: the example seed file has two lenders with three products and two sources.
        await Assertions.Expect(page.GetByTestId("tile-commission")).ToContainTextAsync("2 lenders · 3 products · 2 sources");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task New_applicants_appear_on_the_open_dashboard_without_reload()
    {
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        var tile = page.GetByTestId("tile-today").Locator(".tile-value");
        var before = int.Parse(await tile.InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);

        var client = host.CreateClient();
        for (var i = 0; i < 2; i++)
            await LoanHub.Tests.Web.Features.Intake.IntakeClient.PostAsync(client, LoanHub.Tests.Web.Features.Intake.IntakeClient.ValidBody());

        await Assertions.Expect(tile).ToHaveTextAsync((before + 2).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 10_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_password_shows_a_message_and_stays_on_the_login_page()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(LoanHubHost.AdminEmail);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");
        Assert.Contains("/Account/Login", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_creates_a_user_who_then_signs_in_with_only_the_analyst_menu()
    {
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("analyst@test.local");
        await dialog.GetByLabel("Display name").FillAsync("Ann Analyst");
        await dialog.GetByLabel("Initial password").FillAsync("Analyst-Passw0rd");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "analyst@test.local", Exact = true })).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        var analyst = await host.SignInAsync("analyst@test.local", "Analyst-Passw0rd");
        await Assertions.Expect(analyst.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(analyst.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Assertions.Expect(analyst.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);

        await analyst.GotoAsync("/admin/users");
        await BrowserHost.WaitUntilInteractiveAsync(analyst);
        await Assertions.Expect(analyst.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await analyst.Context.CloseAsync();
    }
}
