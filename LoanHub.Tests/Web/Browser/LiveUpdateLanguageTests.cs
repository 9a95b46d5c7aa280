using LoanHub.Tests.Web.Features.Alerts;
using LoanHub.Web.Features.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

/// <summary>
/// Pages that update live keep their reader's language. A host of its own: acknowledging an alert leaves an audit entry
/// (its stored details name the alert's kind as stored) that the Chinese walk of <c>/audit</c> must not meet.
/// </summary>
public class LiveUpdateLanguageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    /// <summary>
    /// A live update raised by someone reading English (an admin acknowledging an alert in another browser) re-renders a
    /// Chinese reader's page in Chinese: the handler runs in the Chinese circuit's culture, not in that of whoever raised
    /// the signal. It re-rendered the alerts page in English halfway before ClusterSignals.Subscribe kept the context.
    /// </summary>
    [Fact]
    public async Task A_page_in_chinese_stays_chinese_when_a_reader_in_english_changes_what_it_shows()
    {
        var book = host.Services.GetRequiredService<AlertBook>();
        var page = await ChineseConsoleBrowserTests.InChineseAsync(host, "中文值班员");
        var englishPage = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        try
        {
            await AlertBookTests.ChangeLenderAsync(host, "L2", l => l.PauseAutomatically("Endpoint failing."));
            await book.CheckAsync();
            await page.GotoAsync("/alerts");
            await BrowserHost.WaitUntilInteractiveAsync(page);
            var row = page.GetByTestId("open-alerts").Locator("tr").Filter(new() { HasText = "L2" });
            await Assertions.Expect(row).ToBeVisibleAsync();

            await englishPage.GotoAsync("/alerts");
            await BrowserHost.WaitUntilInteractiveAsync(englishPage);
            await englishPage.GetByTestId("open-alerts").Locator("tr").Filter(new() { HasText = "L2" })
                .GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

            // The Chinese page heard it without a reload, and says so in Chinese.
            await Assertions.Expect(row).ToContainTextAsync($"{LoanHubHost.AdminEmail} 已确认");
            var english = await ChineseConsoleBrowserTests.EnglishWordsShownAsync(host, page);
            Assert.True(english.Count == 0, string.Join(", ", english));
        }
        finally
        {
            await AlertBookTests.ChangeLenderAsync(host, "L2", l => l.Resume());
            await book.CheckAsync();
            await page.Context.CloseAsync();
            await englishPage.Context.CloseAsync();
        }
    }
}
