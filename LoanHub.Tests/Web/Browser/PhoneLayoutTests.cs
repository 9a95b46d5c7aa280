using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

/// <summary>A browser host over the demo's history: real-sized figures (a six-digit commission) and a queue of cases with several reasons.</summary>
public sealed class DemoBrowserHost : BrowserHost
{
    public DemoBrowserHost()
    {
        this.UseDemoHistory(days: 10, applicantsPerDay: 120);
        Settings["LoanHub:Demo:LiveTraffic"] = "false";
    }
}

/// <summary>An admin walks every console page on a 390 px phone, in English and in Chinese: nothing runs off the right edge.</summary>
public class PhoneLayoutTests(DemoBrowserHost host) : IClassFixture<DemoBrowserHost>
{
    private static readonly string[] Pages =
        ["", "applications", "review", "lenders", "sources", "routing", "risk", "reports", "alerts", "audit", "admin/users", "admin/blocklist"];

    [Fact]
    public async Task At_390_px_no_page_scrolls_sideways_the_commission_fits_its_tile_and_the_queue_keeps_its_buttons_on_screen()
    {
        var (caseId, applicationId) = await SomeCaseAsync();
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        await page.SetViewportSizeAsync(390, 844);
        string[] paths = [.. Pages, $"applications/{applicationId}", $"review/{caseId}"];

        foreach (var language in new[] { "en", "zh-CN" })
        {
            if (language == "zh-CN")
            {
                await page.GetByTestId("language-menu").ClickAsync();
                await page.GetByTestId("language-zh-CN").ClickAsync();
                await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
            }
            var wide = new List<string>();
            foreach (var path in paths)
            {
                await OpenAsync(page, path);
                var width = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
                if (width[0] > width[1]) wide.Add($"{language} /{path}: {width[0]} px wide in a {width[1]} px window");
                // A table that scrolls sideways inside its card says so: it sits in a scroll area whose hint shows.
                var silent = await page.EvaluateAsync<string[]>(SilentlyScrollingTables);
                wide.AddRange(silent.Select(table => $"{language} /{path}: the table {table} scrolls sideways without the hint"));
            }
            Assert.True(wide.Count == 0, string.Join(Environment.NewLine, wide));

            await OpenAsync(page, "");
            var commission = page.GetByTestId("tile-commission-value");
            await Assertions.Expect(commission).ToContainTextAsync("¥");
            Assert.True(await commission.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"),
                $"{language}: the commission {await commission.InnerTextAsync()} is wider than its tile");

            await OpenAsync(page, "review");
            // The last cell holds the row's actions, Claim (or Release) and Open: on screen, and not cut off by the
            // queue's own edge either (the table scrolls inside it, so a button past that edge is hidden).
            var queue = page.GetByTestId("review-queue").Locator(".mud-table-container");
            var edge = Math.Min(390, (await queue.BoundingBoxAsync())!.X + (await queue.BoundingBoxAsync())!.Width);
            var actions = page.GetByTestId("review-queue").Locator("tbody tr").First.Locator("td").Last.Locator("a, button");
            await Assertions.Expect(actions.First).ToBeVisibleAsync();
            foreach (var action in await actions.AllAsync())
            {
                var box = await action.BoundingBoxAsync();
                Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= edge,
                    $"{language}: the first case's {await action.InnerTextAsync()} button ends at {box?.X + box?.Width} px, past {edge} px");
            }
            // And no row of the queue is wider than the queue itself (a case with two reasons used to be).
            Assert.True(await queue.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"),
                $"{language}: the queue's rows are wider than the queue");
        }
        await page.Context.CloseAsync();
    }

    /// <summary>The tables wider than their container that no visible swipe hint announces, by their first heading.</summary>
    private const string SilentlyScrollingTables = """
        () => [...document.querySelectorAll('.mud-table-container')]
            .filter(c => c.scrollWidth > c.clientWidth + 1 && c.offsetParent !== null)
            .filter(c => !c.closest('.scroll-area')?.querySelector(':scope > [data-testid=swipe-hint]')?.offsetParent)
            .map(c => `"${(c.querySelector('th')?.innerText ?? '').trim()}"`)
        """;

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync("/" + path);
        await BrowserHost.WaitUntilInteractiveAsync(page);
        // Loaded: the skeletons and progress bars of the first load are gone.
        await Assertions.Expect(page.Locator(".mud-skeleton, .mud-progress-linear-bar.mud-progress-indeterminate")).ToHaveCountAsync(0);
    }

    private async Task<(Guid CaseId, Guid ApplicationId)> SomeCaseAsync()
    {
        await using var db = host.CreateDbContext();
        var review = await db.ReviewCases.FirstAsync(c => c.Status == ReviewStatus.Open);
        return (review.Id, review.ApplicationId.Value);
    }
}
