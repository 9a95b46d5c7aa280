using System.Text.RegularExpressions;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

/// <summary>
/// An admin switches the console to Chinese in the app bar and walks the translated pages: no English word of the
/// interface is left on them (the store's own data, such as lender codes and names, may be in any language).
/// </summary>
public partial class ChineseConsoleBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    /// <summary>The pages translated so far (ResourceCoverageTests lists the components still to do); this grows to every page.</summary>
    private static readonly string[] Translated = ["", "admin/users", "admin/blocklist", "reports", "lenders", "sources", "review", "applications", "audit", "alerts", "routing", "risk", "not-a-page"];

    /// <summary>Same in both languages: the product, units, acronyms, and what the demo's MudBlazor chart shows.</summary>
    // Compared without case: MudBlazor's buttons write their text in capitals (导出 EXCEL).
    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        "LoanHub", "LH", "API", "ID", "IP", "CST", "ms", "p95", "CPL", "CPA", "CPS", "Excel", "CSV", "English", "BLOCKLISTED",
    };

    [Fact]
    public async Task After_switching_to_chinese_the_translated_pages_show_no_english_interface_words()
    {
        var page = await host.SignInAsNewUserAsync(Roles.Admin, "中文管理员");
        await page.GetByTestId("language-menu").ClickAsync();
        await page.GetByTestId("language-zh-CN").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        var data = await DataWordsAsync();

        var english = new List<string>();
        foreach (var path in Translated)
        {
            await page.GotoAsync("/" + path);
            await BrowserHost.WaitUntilInteractiveAsync(page);
            // Loaded: the skeletons and progress bars of the first load are gone.
            await Assertions.Expect(page.Locator(".mud-skeleton, .mud-progress-linear-bar.mud-progress-indeterminate")).ToHaveCountAsync(0);
            var text = await page.Locator("body").InnerTextAsync();
            english.AddRange(Word().Matches(text).Select(m => m.Value).Where(w => !Allowed.Contains(w) && !data.Contains(w)).Distinct()
                .Select(w => $"/{path}: {w}"));
        }

        Assert.True(english.Count == 0, string.Join(Environment.NewLine, english));
    }

    /// <summary>Every word of the store's own names: lenders, products, sources, users, the audit's actors ("system"); and of what people wrote: routing policy comments.</summary>
    private async Task<HashSet<string>> DataWordsAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LoanHubDbContext>();
        var names = new List<string>();
        names.AddRange(await db.Lenders.Select(l => l.Code + " " + l.Name).ToListAsync());
        names.AddRange(await db.Products.Select(p => p.Code + " " + p.Name).ToListAsync());
        names.AddRange(await db.Sources.Select(s => s.Code + " " + s.Name).ToListAsync());
        names.AddRange(await db.Users.Select(u => u.Email + " " + u.DisplayName).ToListAsync());
        names.AddRange(await db.RoutingPolicies.Select(p => p.Comment + " " + p.CreatedBy).ToListAsync());
        names.AddRange(await db.Audit.Select(a => a.Actor).Distinct().ToListAsync());
        return [.. names.SelectMany(n => Word().Matches(n).Select(m => m.Value))];
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9']+")]
    private static partial Regex Word();
}
