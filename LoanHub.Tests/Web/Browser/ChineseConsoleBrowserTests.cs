using System.Text.RegularExpressions;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Web.Data;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;
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
        "LoanHub", "LH", "API", "ID", "IP", "CST", "ms", "p95", "CPL", "CPA", "CPS", "Excel", "CSV", "English",
        // Codes the pages show beside their words (one-word signal codes; REASON_CODES with underscores are left out below).
        "BLOCKLISTED", "RING", "DUPLICATE", "UNDERAGE",
    };

    [Fact]
    public async Task After_switching_to_chinese_the_translated_pages_show_no_english_interface_words()
    {
        var page = await InChineseAsync("中文管理员");
        var english = await EnglishWordsAsync(page, Translated);

        Assert.True(english.Count == 0, string.Join(Environment.NewLine, english));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// What the engine wrote into the decision record — why a product did not take the applicant, what linked it to a
    /// ring, how the lead was drawn — reads in Chinese on the application and review case pages.
    /// </summary>
    [Fact]
    public async Task An_application_and_its_review_case_read_in_chinese_down_to_the_engines_reasons()
    {
        using var intake = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var device = $"zh-walk-{Guid.NewGuid():N}";
        var ids = new List<ApplicationId>();
        for (var i = 0; i < 3; i++)
        {
            var body = IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(361_000 + i), deviceId: device);
            body["requestedAmount"] = 60_000; // more than two of the three example products lend
            body["city"] = "上海";
            var answer = await IntakeClient.ReadAsync(await IntakeClient.PostAsync(intake, body));
            ids.Add(new ApplicationId(Guid.Parse((string)answer["applicationId"]!)));
        }
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LoanHubDbContext>();
        var held = await db.ReviewCases.Where(c => ids.Contains(c.ApplicationId)).Select(c => c.Id).FirstAsync();

        var page = await InChineseAsync("中文审核员");
        string[] paths = [$"applications/{ids[0].Value}", $"applications/{ids[2].Value}", $"review/{held}"];
        var english = await EnglishWordsAsync(page, paths);

        Assert.True(english.Count == 0, string.Join(Environment.NewLine, english));
        await page.GotoAsync("/" + paths[0]);
        await Assertions.Expect(page.GetByText("不在 ¥", new() { Exact = false }).First).ToBeVisibleAsync(); // "申请金额 ¥60,000.00 不在 ¥1,000.00–¥50,000.00 范围内。"
        await page.Context.CloseAsync();
    }

    private Task<IPage> InChineseAsync(string displayName) => InChineseAsync(host, displayName);

    /// <summary>A new admin signed in on <paramref name="host"/> who switched the console to Chinese.</summary>
    internal static async Task<IPage> InChineseAsync(BrowserHost host, string displayName)
    {
        var page = await host.SignInAsNewUserAsync(Roles.Admin, displayName);
        await page.GetByTestId("language-menu").ClickAsync();
        await page.GetByTestId("language-zh-CN").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        return page;
    }

    /// <summary>Each English word on the pages that is not the store's own data, as "/path: word".</summary>
    private async Task<List<string>> EnglishWordsAsync(IPage page, IEnumerable<string> paths)
    {
        var english = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync("/" + path);
            await BrowserHost.WaitUntilInteractiveAsync(page);
            // Loaded: the skeletons and progress bars of the first load are gone.
            await Assertions.Expect(page.Locator(".mud-skeleton, .mud-progress-linear-bar.mud-progress-indeterminate")).ToHaveCountAsync(0);
            english.AddRange((await EnglishWordsShownAsync(host, page)).Select(w => $"/{path}: {w}"));
        }
        return english;
    }

    /// <summary>Each English word the page shows now that is not the store's own data.</summary>
    internal static async Task<List<string>> EnglishWordsShownAsync(BrowserHost host, IPage page)
    {
        var data = await DataWordsAsync(host);
        var text = Identifier().Replace(await page.Locator("body").InnerTextAsync(), " ");
        return [.. Word().Matches(text).Select(m => m.Value).Where(w => !Allowed.Contains(w) && !data.Contains(w)).Distinct()];
    }

    /// <summary>Every word of the store's own names: lenders, products, sources, users, the audit's actors ("system"); and of what people wrote: routing policy comments.</summary>
    private static async Task<HashSet<string>> DataWordsAsync(BrowserHost host)
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
        names.AddRange(await db.Assessments.Select(a => a.ScorecardVersion).Distinct().ToListAsync());
        return [.. names.SelectMany(n => Word().Matches(n).Select(m => m.Value))];
    }

    /// <summary>What is not a word: ids (GUIDs, hex with digits) and codes with underscores (INCOME_LOW, DEVICE_SHARED).</summary>
    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{4,}\b|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9']+")]
    private static partial Regex Word();
}
