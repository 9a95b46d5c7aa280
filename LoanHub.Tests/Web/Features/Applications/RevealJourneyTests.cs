using LoanHub.Tests.Web.Browser;
using LoanHub.Core.Identity;
using Microsoft.Playwright;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Applications;

[Collection(BrowserCollection.Name)]
public class RevealJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Admin_opens_an_application_reveals_its_national_id_and_the_audit_log_shows_the_reveal()
    {
        var nationalId = NationalId(340_001);
        using (var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) })
        {
            (await PostAsync(http, ValidBody(nationalId: nationalId))).EnsureSuccessStatusCode();
        }

        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Applications" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Applications", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("National ID or phone").FillAsync(nationalId);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = ResidentId.Mask(nationalId) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByText(nationalId, new() { Exact = true })).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Cell).Nth(1).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Decision record", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("how-drawn")).Not.ToBeEmptyAsync();
        var idField = page.GetByTestId("personal-NationalId");
        await Assertions.Expect(idField).ToContainTextAsync(ResidentId.Mask(nationalId));
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal national ID" }).ClickAsync();
        await Assertions.Expect(idField).ToContainTextAsync(nationalId);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Action contains").FillAsync("revealed");
        var entry = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Personal data revealed" }).First;
        await Assertions.Expect(entry).ToContainTextAsync(LoanHubHost.AdminEmail);
        await entry.ClickAsync();
        await Assertions.Expect(page.GetByTestId("revealed-field")).ToHaveTextAsync("Revealed: National ID");
        await page.Context.CloseAsync();
    }
}
