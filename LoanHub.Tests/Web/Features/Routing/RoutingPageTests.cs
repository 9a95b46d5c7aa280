using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>The routing page over the real routing service and store (seeded with L1-CASH: weight 50, cap 100, budget 50,000).</summary>
public class RoutingPageTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private IRenderedComponent<MudDialogProvider> dialogs = null!;

    private readonly RoutingService routing;
    private readonly RoutingPolicyService policies;

    public RoutingPageTests(LoanHubHost host)
    {
        routing = host.Services.GetRequiredService<RoutingService>();
        policies = host.Services.GetRequiredService<RoutingPolicyService>();
        Services.AddSingleton(host.Services.GetRequiredService<RoutingService>());
        Services.AddSingleton(host.Services.GetRequiredService<RoutingPolicyService>());
        Services.AddSingleton(TimeProvider.System);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<RoutingPage> Open(string role = Roles.OperationsManager)
    {
        SignInAs($"{role.ToLowerInvariant()}@test.local", role);
        RenderPopoverProvider();
        dialogs = Render<MudDialogProvider>();
        var page = Render<RoutingPage>();
        page.WaitForElement("[data-testid=product-L1-CASH]");
        return page;
    }

    private static IElement Field(IRenderedComponent<RoutingPage> page, string label) => page.Find($"input[aria-label='{label}']");

    private static void Type(IRenderedComponent<RoutingPage> page, string label, string text) => Field(page, label).Change(text);

    private static IElement Button(IRenderedComponent<RoutingPage> page, string text) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private IElement DialogButton(string text) => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);

    // Found and clicked on the renderer's thread: a re-render between the two would leave the click a stale handler.
    private static void Press(IRenderedComponent<RoutingPage> page, string text) =>
        page.InvokeAsync(() => Button(page, text).Click()).GetAwaiter().GetResult();

    [Theory]
    [InlineData("Daily cap of L1-CASH", "-5", "-5", "Cannot be negative; empty means no cap")]
    [InlineData("Daily cap of L1-CASH", "−5", "-5", "Cannot be negative; empty means no cap")]
    [InlineData("Daily cap of L1-CASH", "abc", "abc", "Enter a number")]
    [InlineData("Daily cap of L1-CASH", "2.5", "2.5", "Enter a whole number")]
    [InlineData("Monthly budget of L1-CASH", "-100", "-100", "Cannot be negative; empty means no budget")]
    [InlineData("Monthly budget of L1-CASH", "10.005", "10.005", "At most 2 decimals")]
    [InlineData("Weight of L1-CASH", "-1", "-1", "Enter 0 to 10,000")]
    [InlineData("Weight of L1-CASH", "10001", "10,001", "Enter 0 to 10,000")]
    [InlineData("Weight of L1-CASH", "", "", "Enter a number")]
    [InlineData("Priority of L1-CASH", "1001", "1,001", "Enter 0 to 1,000")]
    [InlineData("Priority of L1-CASH", "-3", "-3", "Enter 0 to 1,000")]
    public void An_invalid_number_stays_as_typed_is_explained_on_the_field_and_blocks_simulate_and_save(string label, string typed, string shown, string message)
    {
        var page = Open();

        Type(page, label, typed);

        page.WaitForAssertion(() => Assert.Equal(message, page.Find($"input[aria-label='{label}']")
            .Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim()));
        Assert.Equal(shown, Field(page, label).GetAttribute("value") ?? "");
        Assert.True(Button(page, "Run simulation").HasAttribute("disabled"));
        Assert.True(Button(page, "Save as new version").HasAttribute("disabled"));
        Assert.Contains("Correct the fields marked in red", page.Find("[data-testid=save-blocked-reason]").TextContent);
    }

    [Fact]
    public void Correcting_the_field_lifts_the_block()
    {
        var page = Open();
        Type(page, "Daily cap of L1-CASH", "-5");
        page.WaitForAssertion(() => Assert.True(Button(page, "Run simulation").HasAttribute("disabled")));

        Type(page, "Daily cap of L1-CASH", "1,500");

        page.WaitForAssertion(() => Assert.False(Button(page, "Run simulation").HasAttribute("disabled")));
        Assert.Empty(page.FindAll(".mud-input-error"));
        Assert.Equal("1,500", Field(page, "Daily cap of L1-CASH").GetAttribute("value"));
        Assert.Contains("Run the simulation of this proposal", page.Find("[data-testid=save-blocked-reason]").TextContent);
    }

    [Fact]
    public void Discard_asks_first_and_keeps_the_edits_unless_confirmed()
    {
        var page = Open();
        Type(page, "Weight of L1-CASH", "77");

        Press(page, "Discard changes");
        dialogs.WaitForAssertion(() => Assert.Contains("Drop your 1 unsaved change", dialogs.Markup));
        DialogButton("Keep editing").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Drop your", dialogs.Markup));
        Assert.Equal("77", Field(page, "Weight of L1-CASH").GetAttribute("value"));

        Press(page, "Discard changes");
        dialogs.WaitForAssertion(() => Assert.Contains("Drop your 1 unsaved change", dialogs.Markup));
        DialogButton("Discard").Click();
        page.WaitForAssertion(() => Assert.Equal("50", Field(page, "Weight of L1-CASH").GetAttribute("value")));
        Assert.True(Button(page, "Discard changes").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Leaving_with_unsaved_edits_asks_and_stays_unless_told_to_leave()
    {
        var page = Open();
        var navigation = (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        var start = navigation.Uri;
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier.EndsWith("enableNavigationPrompt", StringComparison.Ordinal));
        Type(page, "Daily cap of L1-CASH", "60");
        // Reloads and other sites get the browser's own "leave site?" prompt.
        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier.EndsWith("enableNavigationPrompt", StringComparison.Ordinal)));

        var stay = page.InvokeAsync(() => navigation.NavigateTo("/dashboard"));
        dialogs.WaitForAssertion(() => Assert.Contains("Leave without saving?", dialogs.Markup));
        DialogButton("Stay").Click();
        await stay;
        // The first dialog must be gone, or the next "Leave" click could land on its closed copy.
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Leave without saving?", dialogs.Markup));
        page.WaitForAssertion(() => Assert.Equal(NavigationState.Prevented, navigation.History.First().State));
        Assert.Equal(start, navigation.Uri);
        Assert.Equal("60", Field(page, "Daily cap of L1-CASH").GetAttribute("value"));

        var leave = page.InvokeAsync(() => navigation.NavigateTo("/dashboard"));
        dialogs.WaitForAssertion(() => Assert.Contains("Leave without saving?", dialogs.Markup));
        DialogButton("Leave").Click();
        await leave;
        // The navigation completes after the dialog has closed, with no render of the page to wait on.
        await Until(() => navigation.History.FirstOrDefault() is { State: NavigationState.Succeeded } last && last.Uri.EndsWith("/dashboard", StringComparison.Ordinal));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The navigation did not complete within 15 s.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Without_edits_leaving_does_not_ask()
    {
        var page = Open();
        var navigation = (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();

        await page.InvokeAsync(() => navigation.NavigateTo("/dashboard"));

        await Until(() => navigation.History.FirstOrDefault() is { State: NavigationState.Succeeded } last && last.Uri.EndsWith("/dashboard", StringComparison.Ordinal));
        Assert.DoesNotContain("Leave without saving?", dialogs.Markup);
    }

    [Fact]
    public void Save_says_on_the_page_that_the_change_must_be_simulated_first_until_it_is()
    {
        var page = Open();
        Assert.Empty(page.FindAll("[data-testid=save-blocked-reason]")); // nothing to save, nothing to explain

        Type(page, "Weight of L1-CASH", "60");

        page.WaitForAssertion(() => Assert.Equal("Run the simulation of this proposal (below) before saving it.",
            page.Find("[data-testid=save-blocked-reason]").TextContent.Trim()));
        var save = Button(page, "Save as new version");
        Assert.True(save.HasAttribute("disabled"));
        Assert.Equal("save-blocked-reason", save.GetAttribute("aria-describedby"));

        Press(page, "Run simulation");

        page.WaitForElement("[data-testid=simulation-results]", TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=save-blocked-reason]")));
        Assert.False(Button(page, "Save as new version").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Save_refused_by_the_server_because_another_version_was_saved_since_the_simulation_says_so_on_the_page()
    {
        var page = Open();
        Type(page, "Weight of L1-CASH", "61");
        Press(page, "Run simulation");
        page.WaitForElement("[data-testid=simulation-results]", TimeSpan.FromSeconds(30));
        // Another operator saves a version while this page holds its simulation.
        var view = await routing.LoadAsync();
        var theirs = view.Current.WithWeight(view.Products.Single(p => p.ProductCode == "L2-MICRO").ProductId, 21);
        var simulated = await routing.SimulateAsync(theirs, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, null, CancellationToken.None);
        Assert.True((await policies.SaveAsync(theirs, simulated, "the other operator", TestUsers.Principal("other@test.local", Roles.OperationsManager))).Succeeded);

        await page.InvokeAsync(() => Button(page, "Save as new version").Click());
        dialogs.WaitForElement("textarea").Input("my change");
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim().StartsWith("Save version")).Click());

        page.WaitForAssertion(() => Assert.Contains("after your simulation ran on version", page.Find("[data-testid=save-error]").TextContent));
        Assert.Equal(view.ActiveVersion + 1, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public void A_reader_sees_the_policy_as_a_table_of_text_with_thousands_separators()
    {
        var page = Open(Roles.Analyst);

        Assert.Empty(page.FindAll("input[aria-label^='Weight of']"));
        Assert.Equal("50,000", page.Find("[data-testid=budget-L1-CASH]").TextContent.Trim());
        Assert.Equal("100", page.Find("[data-testid=cap-L1-CASH]").TextContent.Trim());
        Assert.Equal("none", page.Find("[data-testid=budget-L1-INST]").TextContent.Trim());
        Assert.Contains("Strategy: Weighted", page.Find("[data-testid=strategy]").TextContent);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() is "Save as new version" or "Discard changes");
    }
}
