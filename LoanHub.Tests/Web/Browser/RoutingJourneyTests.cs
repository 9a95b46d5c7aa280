using System.Text.RegularExpressions;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public class RoutingJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Operations_manager_changes_a_weight_after_a_simulation_and_restores_the_previous_version()
    {
        var page = await host.SignInAsNewUserAsync(Roles.OperationsManager);
        await page.GetByRole(AriaRole.Link, new() { Name = "Routing" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing", Level = 1 })).ToBeVisibleAsync();
        var before = await page.GetByTestId("active-version").InnerTextAsync();
        var previous = int.Parse(Regex.Match(before, @"Version (\d+)").Groups[1].Value);
        var weight = page.GetByLabel("Weight of L2-MICRO");
        var originalWeight = await weight.InputValueAsync();

        await weight.FillAsync("80");
        await weight.PressAsync("Tab");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save as new version" });
        await Assertions.Expect(save).ToBeDisabledAsync(); // not before the change is simulated
        await Assertions.Expect(page.GetByText("Run the simulation of this proposal before saving it.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Run simulation" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("simulation-results")).ToBeVisibleAsync();
        await Assertions.Expect(save).ToBeEnabledAsync();

        await save.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Comment").FillAsync("More micro loans for the weekend");
        await dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Save version") }).ClickAsync();

        await Assertions.Expect(page.GetByText($"Saved as version {previous + 1}.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("active-version")).ToContainTextAsync($"Version {previous + 1}");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "More micro loans for the weekend" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Weight of L2-MICRO")).ToHaveValueAsync("80");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Restore version {previous}" }).ClickAsync();
        var restore = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(restore.GetByTestId("policy-changes")).ToContainTextAsync($"L2-MICRO: weight 80 → {originalWeight}");
        await restore.GetByLabel("Comment").FillAsync("Weekend is over");
        await restore.GetByRole(AriaRole.Button, new() { Name = $"Restore version {previous} as {previous + 2}" }).ClickAsync();

        await Assertions.Expect(page.GetByText($"Version {previous} restored as version {previous + 2}.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("active-version")).ToContainTextAsync($"Version {previous + 2}");
        await Assertions.Expect(page.GetByLabel("Weight of L2-MICRO")).ToHaveValueAsync(originalWeight);
        await Assertions.Expect(page.GetByText($"restores version {previous}")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_policy_scrolls_sideways_inside_its_card_with_a_hint_and_save_stays_in_sight_beside_the_simulation()
    {
        var reader = await host.SignInAsNewUserAsync(Roles.Analyst);
        await reader.GotoAsync("/routing");
        await BrowserHost.WaitUntilInteractiveAsync(reader);
        // On a wide screen the reader's table fits its card: nothing to swipe, no hint.
        await Assertions.Expect(reader.GetByTestId("policy-table")).ToBeVisibleAsync();
        await Assertions.Expect(reader.Locator(".scroll-area:has([data-testid=policy-table]) > [data-testid=swipe-hint]")).ToBeHiddenAsync();
        await reader.Context.CloseAsync();

        var page = await host.SignInAsNewUserAsync(Roles.OperationsManager);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/routing");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        var editor = page.GetByTestId("policy-editor");
        await Assertions.Expect(editor).ToBeVisibleAsync();

        // The page keeps to the screen's width; the table scrolls inside its card, and says so.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.True(await editor.Locator(".mud-table-container").EvaluateAsync<bool>(
            "e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX === 'auto'"));
        await Assertions.Expect(page.Locator(".scroll-area:has([data-testid=policy-editor]) > [data-testid=swipe-hint]")).ToBeVisibleAsync();

        var weight = page.GetByLabel("Weight of L1-INST");
        await weight.FillAsync("33");
        await weight.PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run simulation" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("simulation-results")).ToBeVisibleAsync();

        // Wherever the page is scrolled, the simulation's summary and Save are on screen together.
        foreach (var to in new[] { "0", "document.body.scrollHeight / 2" })
        {
            await page.EvaluateAsync($"() => window.scrollTo(0, {to})");
            await Assertions.Expect(page.GetByTestId("action-summary")).ToContainTextAsync("applicants replayed");
            await Assertions.Expect(page.GetByTestId("action-summary")).ToBeInViewportAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save as new version" })).ToBeInViewportAsync();
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save as new version" })).ToBeEnabledAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "routing-390.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Analyst_reads_routing_without_changing_it_and_cannot_open_review()
    {
        var page = await host.SignInAsNewUserAsync(Roles.Analyst);
        await page.GotoAsync("/routing");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save as new version" })).ToHaveCountAsync(0);
        // Read as a table of text, not a grid of greyed-out inputs.
        await Assertions.Expect(page.GetByLabel("Weight of L2-MICRO")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("budget-L2-MICRO")).ToHaveTextAsync("20,000");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Review queue" })).ToHaveCountAsync(0);

        await page.GotoAsync("/review");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
