using LoanHub.Tests.Web.Features.Alerts;
using LoanHub.Web.Features.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public class AlertsJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task A_new_alert_lights_the_bell_without_reload_and_is_acknowledged_from_its_list()
    {
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        var bell = page.GetByTestId("alert-bell");
        var before = int.Parse(await bell.GetAttributeAsync("data-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var book = host.Services.GetRequiredService<AlertBook>();
        try
        {
            await AlertBookTests.ChangeLenderAsync(host, "L2", l => l.PauseAutomatically("Endpoint failing."));
            await book.CheckAsync();

            await Assertions.Expect(bell).ToHaveAttributeAsync("data-count", (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await bell.ClickAsync();
            var item = page.GetByTestId("alert-item").Filter(new() { HasText = "Lender paused automatically" });
            await Assertions.Expect(item).ToContainTextAsync("(L2) was paused automatically");
            await item.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
            await Assertions.Expect(item).ToContainTextAsync($"Acknowledged by {LoanHubHost.AdminEmail}");
            await Assertions.Expect(bell).ToHaveAttributeAsync("data-count", before.ToString(System.Globalization.CultureInfo.InvariantCulture));

            await page.GetByRole(AriaRole.Link, new() { Name = "All alerts and rules" }).ClickAsync();
            await BrowserHost.WaitUntilInteractiveAsync(page);
            var row = page.GetByTestId("open-alerts").Locator("tr").Filter(new() { HasText = "Lender paused automatically" });
            await Assertions.Expect(row).ToContainTextAsync($"Acknowledged by {LoanHubHost.AdminEmail}");
            var rules = page.GetByTestId("alert-rules").Locator("tr");
            await Assertions.Expect(rules.Filter(new() { HasText = "Review queue past its SLA" })).ToContainTextAsync("4 hours");
            await Assertions.Expect(rules.Filter(new() { HasText = "Budget nearly spent" })).ToContainTextAsync("90%");
        }
        finally
        {
            await AlertBookTests.ChangeLenderAsync(host, "L2", l => l.Resume());
            await book.CheckAsync();
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_account_menu_opens_with_change_password_and_sign_out()
    {
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        await page.GetByTestId("current-user").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Change password")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
