using AngleSharp.Dom;
using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>The routing page's Suggestion tab over the real services and a store where T1's lender approves far more than T2's.</summary>
public class SuggestionPanelTests : ComponentTestContext, IClassFixture<SuggestionHost>
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);
    private readonly SuggestionHost host;

    public SuggestionPanelTests(SuggestionHost host)
    {
        this.host = host;
        Services.AddSingleton(host.Services.GetRequiredService<RoutingService>());
        Services.AddSingleton(host.Services.GetRequiredService<RoutingPolicyService>());
        Services.AddSingleton(host.Services.GetRequiredService<WeightSuggestionService>());
        Services.AddSingleton(host.Services.GetRequiredService<LearningOptions>());
        Services.AddSingleton(TimeProvider.System);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<RoutingPage> OpenSuggestion(string role)
    {
        SignInAs($"{role.ToLowerInvariant()}@test.local", role);
        RenderPopoverProvider();
        Render<MudDialogProvider>();
        var page = Render<RoutingPage>();
        page.WaitForElement("[data-testid=product-T1-LOAN]");
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Suggestion").Click();
        page.WaitForElement("[data-testid=routing-suggestion] [data-testid=simulation-results]", Slow);
        return page;
    }

    private static int Weight(IRenderedComponent<RoutingPage> page, string product) =>
        int.Parse(page.Find($"[data-testid=suggested-weight-{product}]").TextContent.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyList<IElement> Buttons(IRenderedComponent<RoutingPage> page, string text) =>
        [.. page.FindAll("button").Where(b => b.TextContent.Trim() == text)];

    [Fact]
    public async Task An_analyst_sees_the_suggestion_beside_todays_weights_for_either_objective_but_cannot_take_it()
    {
        var page = OpenSuggestion(Roles.Analyst);

        Assert.True(Weight(page, "T1-LOAN") > Weight(page, "T2-LOAN"));
        Assert.Contains("today ¥", page.Find("[data-testid=suggestion-commission]").TextContent, StringComparison.Ordinal);
        Assert.Empty(Buttons(page, "Use this suggestion"));

        // Found and pressed on the renderer's thread: the panel re-renders as its suggestion arrives.
        await page.InvokeAsync(() => page.Find("[data-testid=objective-approvals]").Click());
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=objective-approvals]").GetAttribute("aria-pressed")));
        page.WaitForElement("[data-testid=routing-suggestion] [data-testid=simulation-results]", Slow);
        Assert.True(Weight(page, "T1-LOAN") > Weight(page, "T2-LOAN"));
    }

    [Fact]
    public async Task Taking_the_suggestion_fills_the_policy_editor_ready_to_save_and_changes_nothing_by_itself()
    {
        var before = await host.Services.GetRequiredService<RoutingService>().LoadAsync();
        var page = OpenSuggestion(Roles.OperationsManager);
        var t1 = Weight(page, "T1-LOAN");
        var t2 = Weight(page, "T2-LOAN");

        page.WaitForAssertion(() => Assert.False(Buttons(page, "Use this suggestion").Single().HasAttribute("disabled")));
        Buttons(page, "Use this suggestion").Single().Click();

        page.WaitForAssertion(() => Assert.Equal(t1.ToString("#,##0", System.Globalization.CultureInfo.InvariantCulture),
            page.Find("input[aria-label='Weight of T1-LOAN']").GetAttribute("value")));
        Assert.Equal(t2.ToString("#,##0", System.Globalization.CultureInfo.InvariantCulture), page.Find("input[aria-label='Weight of T2-LOAN']").GetAttribute("value"));
        Assert.False(Buttons(page, "Save as new version").Single().HasAttribute("disabled"));
        var after = await host.Services.GetRequiredService<RoutingService>().LoadAsync();
        Assert.Equal(before.ActiveVersion, after.ActiveVersion);
        Assert.All(after.Products, p => Assert.Equal(50, p.Weight));
    }
}
