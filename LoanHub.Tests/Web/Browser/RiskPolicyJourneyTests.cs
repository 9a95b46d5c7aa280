using System.Text.RegularExpressions;
using LoanHub.Web.Security;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public class RiskPolicyJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Admin_backtests_a_higher_review_threshold_and_saves_it_as_the_active_version()
    {
        var page = await host.SignInAsNewUserAsync(Roles.Admin);
        await page.GetByRole(AriaRole.Link, new() { Name = "Risk policy" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Risk policy", Level = 1 })).ToBeVisibleAsync();
        var before = await page.GetByTestId("active-version").InnerTextAsync();
        var previous = int.Parse(Regex.Match(before, @"Version (\d+)").Groups[1].Value);

        var reviewBelow = page.GetByLabel("Review below score");
        var raised = int.Parse(await reviewBelow.InputValueAsync()) + 20;
        await reviewBelow.FillAsync(raised.ToString());
        await reviewBelow.PressAsync("Tab");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save as new version" });
        await Assertions.Expect(save).ToBeDisabledAsync(); // not before these thresholds are backtested
        await Assertions.Expect(page.GetByTestId("save-blocked-reason")).ToContainTextAsync("Run the backtest of these thresholds");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run backtest" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("backtest-results")).ToBeVisibleAsync();
        await Assertions.Expect(save).ToBeEnabledAsync();

        await save.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByTestId("risk-changes")).ToContainTextAsync($"Review below score: {raised - 20} → {raised}");
        await dialog.GetByLabel("Comment").FillAsync("Hold the grey band a little longer");
        await dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Save version") }).ClickAsync();

        await Assertions.Expect(page.GetByText($"Saved as version {previous + 1}.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("active-version")).ToContainTextAsync($"Version {previous + 1}");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Hold the grey band a little longer" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Review below score")).ToHaveValueAsync(raised.ToString());
        await page.Context.CloseAsync();
    }
}
