using System.Globalization;
using System.Text.RegularExpressions;
using LoanHub.Tests.Web.Features.Routing;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public class SuggestionJourneyTests(BrowserHost host)
{
    private static readonly string[] Products = ["L1-CASH", "L1-INST", "L2-MICRO"];

    [Fact]
    public async Task Operations_manager_takes_a_weight_suggestion_with_its_what_if_and_saves_it_as_the_active_version()
    {
        // The example seed's lenders report on their leads: L1 approves most cash loans and few instalment loans.
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        await SuggestionScenario.RouteAndReportAsync(api, host.Services, 90, new Dictionary<string, (string, double)>
        {
            ["L1-CASH"] = ("example-lender-L1-c29e51aa", 0.9),
            ["L1-INST"] = ("example-lender-L1-c29e51aa", 0.1),
            ["L2-MICRO"] = ("example-lender-L2-5d0b7f13", 0.5),
        });

        var page = await host.SignInAsNewUserAsync(Roles.OperationsManager);
        await page.GetByRole(AriaRole.Link, new() { Name = "Routing" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing", Level = 1 })).ToBeVisibleAsync();
        var previous = int.Parse(Regex.Match(await page.GetByTestId("active-version").InnerTextAsync(), @"Version (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Suggestion" }).ClickAsync();
        var panel = page.GetByTestId("routing-suggestion");
        // The what-if has run on the suggestion before it can be taken.
        await Assertions.Expect(panel.GetByTestId("simulation-results")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var suggested = new Dictionary<string, int>();
        foreach (var product in Products)
            suggested[product] = int.Parse(await panel.GetByTestId($"suggested-weight-{product}").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var view = await host.Services.GetRequiredService<RoutingService>().LoadAsync();
        Assert.Contains(view.Products, p => suggested[p.ProductCode] != p.Weight);

        await panel.GetByRole(AriaRole.Button, new() { Name = "Use this suggestion" }).ClickAsync();
        foreach (var product in Products)
            await Assertions.Expect(page.GetByLabel($"Weight of {product}")).ToHaveValueAsync(suggested[product].ToString("#,##0", CultureInfo.InvariantCulture));
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save as new version" });
        await Assertions.Expect(save).ToBeEnabledAsync();

        await save.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Comment").FillAsync("Weights as suggested from the learned rates");
        await dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Save version") }).ClickAsync();

        await Assertions.Expect(page.GetByText($"Saved as version {previous + 1}.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("active-version")).ToContainTextAsync($"Version {previous + 1}");
        var active = await host.Services.GetRequiredService<RoutingService>().LoadAsync();
        Assert.Equal(previous + 1, active.ActiveVersion);
        Assert.All(active.Products, p => Assert.Equal(suggested[p.ProductCode], p.Weight));
        await page.Context.CloseAsync();
    }
}
