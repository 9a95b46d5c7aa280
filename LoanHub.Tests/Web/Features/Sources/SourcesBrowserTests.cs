using System.Net;
using LoanHub.Tests.Web.Browser;
using LoanHub.Web.Security;
using Microsoft.Playwright;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Sources;

[Collection(BrowserCollection.Name)]
public class SourcesBrowserTests(BrowserHost host)
{
    [Fact]
    public async Task Operations_manager_onboards_a_source_whose_key_posts_until_the_source_is_paused()
    {
        var page = await host.SignInAsNewUserAsync(Roles.OperationsManager, "Olga Ops");
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Traffic sources" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Traffic sources", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "ADS", Exact = true })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "New source" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Source code").FillAsync("bad code!");
            await dialog.GetByLabel("Source name").FillAsync("Douyin spring campaign");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("Use 1–32 letters, digits, '-' or '_'.");
            await dialog.GetByLabel("Source code").FillAsync("DOUYIN");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create source" }).ClickAsync();

            var keyDialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API key of DOUYIN" });
            await Assertions.Expect(keyDialog).ToContainTextAsync("shown only once");
            var key = await keyDialog.GetByRole(AriaRole.Textbox, new() { Name = "API key" }).InputValueAsync();
            Assert.False(string.IsNullOrWhiteSpace(key));
            await keyDialog.GetByRole(AriaRole.Button, new() { Name = "I have copied the key" }).ClickAsync();
            Assert.Equal(HttpStatusCode.Created, (await PostAsync(api, ValidBody(nationalId: NationalId(540_001)), key)).StatusCode);

            await page.GetByRole(AriaRole.Button, new() { Name = "Pause source DOUYIN" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
            await Assertions.Expect(page.GetByText("DOUYIN is paused.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume source DOUYIN" })).ToBeVisibleAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(api, ValidBody(nationalId: NationalId(540_002)), key)).StatusCode);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
