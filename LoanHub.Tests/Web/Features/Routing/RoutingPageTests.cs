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
        // Read once the page has settled: its first renders still call JS, and the list of calls may not change under a reader.
        page.WaitForAssertion(() => Assert.DoesNotContain(JSInterop.Invocations.ToList(), i => i.Identifier.EndsWith("enableNavigationPrompt", StringComparison.Ordinal)));
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

        page.WaitForAssertion(() => Assert.Equal("Run the simulation of this proposal before saving it.",
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

    private static List<string> RowOrder(IRenderedComponent<RoutingPage> page, string table) =>
        [.. page.FindAll($"[data-testid={table}] tbody tr").Select(r => r.GetAttribute("data-testid")!["product-".Length..])];

    private static void Sort(IRenderedComponent<RoutingPage> page, PolicyColumn column) =>
        page.InvokeAsync(() => page.Find($"[data-testid=sort-{column}]").Click()).GetAwaiter().GetResult();

    private static string? AriaSort(IRenderedComponent<RoutingPage> page, PolicyColumn column) =>
        page.Find($"[data-testid=sort-{column}]").Closest("th")!.GetAttribute("aria-sort");

    [Fact]
    public async Task A_heading_sorts_the_editor_by_its_column_and_a_row_stays_put_while_its_numbers_are_typed()
    {
        var page = Open();
        var view = await routing.LoadAsync();
        var byWeight = view.Products.OrderBy(p => p.Weight).ThenBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.ProductCode, StringComparer.Ordinal)
            .Select(p => p.ProductCode).ToList();
        Assert.Equal("none", AriaSort(page, PolicyColumn.Weight));

        Sort(page, PolicyColumn.Weight);

        page.WaitForAssertion(() => Assert.Equal(byWeight, RowOrder(page, "policy-editor")));
        Assert.Equal("ascending", AriaSort(page, PolicyColumn.Weight));
        Type(page, $"Weight of {byWeight[0]}", "9999");
        page.WaitForAssertion(() => Assert.Equal("9,999", Field(page, $"Weight of {byWeight[0]}").GetAttribute("value")));
        Assert.Equal(byWeight, RowOrder(page, "policy-editor"));

        Sort(page, PolicyColumn.Weight);

        page.WaitForAssertion(() => Assert.Equal(byWeight[0], RowOrder(page, "policy-editor")[0]));
        Assert.Equal("descending", AriaSort(page, PolicyColumn.Weight));
    }

    [Fact]
    public void A_reader_sorts_the_policy_too_no_cap_above_every_cap()
    {
        var page = Open(Roles.Analyst);

        Sort(page, PolicyColumn.DailyCap);
        page.WaitForAssertion(() => Assert.Equal(["L1-CASH", "L2-MICRO", "L1-INST"], RowOrder(page, "policy-table")));

        Sort(page, PolicyColumn.DailyCap);
        page.WaitForAssertion(() => Assert.Equal(["L1-INST", "L2-MICRO", "L1-CASH"], RowOrder(page, "policy-table")));
    }

    [Fact]
    public void The_weight_slider_spans_the_range_its_column_heading_states()
    {
        var page = Open();

        var heading = page.Find($"[data-testid=sort-{PolicyColumn.Weight}]").TextContent;
        var range = System.Text.RegularExpressions.Regex.Match(heading, @"\((?<min>[\d,]+)–(?<max>[\d,]+)\)");
        Assert.True(range.Success, heading);
        var slider = page.Find("[data-testid=product-L1-CASH] input[type=range]");
        Assert.Equal(range.Groups["min"].Value.Replace(",", "", StringComparison.Ordinal), slider.GetAttribute("min"));
        Assert.Equal(range.Groups["max"].Value.Replace(",", "", StringComparison.Ordinal), slider.GetAttribute("max"));
    }

    [Fact]
    public void Save_is_one_button_in_a_bar_stuck_to_the_foot_of_the_window_beside_the_simulations_summary()
    {
        var page = Open();
        var bar = page.Find("[data-testid=routing-actions]");
        var style = bar.GetAttribute("style")!.Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("position:sticky", style, StringComparison.Ordinal);
        Assert.Contains("bottom:0", style, StringComparison.Ordinal);
        Assert.Single(page.FindAll("button"), b => b.TextContent.Trim().StartsWith("Save", StringComparison.Ordinal));
        Assert.Equal("Not simulated yet.", bar.QuerySelector("[data-testid=action-summary]")!.TextContent.Trim());

        Type(page, "Weight of L1-INST", "31");
        Press(page, "Run simulation");

        page.WaitForAssertion(() => Assert.Contains("applicants replayed: routed", page.Find("[data-testid=routing-actions] [data-testid=action-summary]").TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.NotNull(page.Find("[data-testid=routing-actions]").QuerySelector("[data-testid=save-policy]"));
        Assert.False(Button(page, "Save as new version").HasAttribute("disabled"));

        Type(page, "Weight of L1-INST", "32");

        page.WaitForAssertion(() => Assert.Contains("Simulation of an earlier proposal", page.Find("[data-testid=action-summary]").TextContent, StringComparison.Ordinal));
        Assert.True(Button(page, "Save as new version").HasAttribute("disabled"));
    }

    [Fact]
    public async Task In_chinese_the_editor_reads_in_chinese_strategies_and_commissions_as_words()
    {
        InLanguage("zh-CN");
        var page = Open();

        var markup = page.Find("[data-testid=policy-editor]").TextContent;
        Assert.Contains("权重（0–10,000）", markup, StringComparison.Ordinal);
        Assert.Contains("实际占比（最近 7 天）", markup, StringComparison.Ordinal);
        Assert.Contains("CPS 2%", page.Find("[data-testid=product-L1-CASH]").TextContent, StringComparison.Ordinal);
        Assert.Contains("加权轮转", page.Find("input.mud-select-input, .mud-select input").GetAttribute("value") ?? "", StringComparison.Ordinal);
        Assert.Single(page.FindAll("button"), b => b.TextContent.Trim() == "保存为新版本");
        Assert.Null(Field(page, "L1-CASH 的权重").GetAttribute("disabled"));
        await Task.CompletedTask;
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
