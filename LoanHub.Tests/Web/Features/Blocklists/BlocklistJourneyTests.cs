using LoanHub.Tests.Web.Browser;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Blocklists;

/// <summary>The blocklist through the console in Chromium. National IDs 830,500–830,599.</summary>
[Collection(BrowserCollection.Name)]
public class BlocklistJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Reviewer_rejects_a_ring_with_a_block_and_a_new_applicant_on_that_device_is_rejected()
    {
        // Four identities on one device: the last two wait in review as one ring.
        using var intake = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var device = $"farm-{Guid.NewGuid():N}";
        for (var i = 0; i < 4; i++)
        {
            var body = ValidBody(nationalId: NationalId(830_500 + i), deviceId: device);
            body["fullName"] = "欧阳修文";
            (await PostAsync(intake, body)).EnsureSuccessStatusCode();
        }
        Guid caseId;
        await using (var db = host.CreateDbContext())
        {
            var hash = host.Services.GetRequiredService<PersonalData>().LookupHash(device);
            var held = await db.Applications.Where(a => a.DeviceHash == hash && a.Status == LoanHub.Core.Domain.ApplicationStatus.InReview).Select(a => a.Id).ToListAsync();
            Assert.Equal(2, held.Count);
            caseId = await db.ReviewCases.Where(r => held.Contains(r.ApplicationId)).OrderBy(r => r.OpenedAt).Select(r => r.Id).FirstAsync();
        }

        var page = await host.SignInAsNewUserAsync(Roles.ComplianceReviewer, "Rita Reviewer");
        await page.GotoAsync($"/review/{caseId}");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("cluster-graph")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Claimed by you");

        await page.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Note").FillAsync("Four identities on one phone-farm device.");
        await dialog.GetByLabel("Decide the whole ring (2 open cases)").CheckAsync();
        await dialog.GetByLabel("Block their national ID, phone and device").CheckAsync();
        await Assertions.Expect(dialog.Locator("#block-days")).ToHaveValueAsync("180");
        await dialog.Locator("#block-days").FillAsync("90");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reject 2 cases and block" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("decision-result")).ToContainTextAsync("rejected");
        await Assertions.Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Rejected");

        // The running writer sees the block at once: the next applicant on that device is rejected.
        var next = ValidBody(nationalId: NationalId(830_510), deviceId: device);
        var answer = await ReadAsync(await PostAsync(intake, next));
        Assert.Equal("Rejected", (string?)answer["status"]);
        await page.Context.CloseAsync();

        // The admin sees what kind of key was blocked, by whom, and that it stopped one applicant.
        var admin = await host.SignInAsNewUserAsync(Roles.Admin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Blocklist" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Blocklist", Level = 1 })).ToBeVisibleAsync();
        // Both rejected applicants' IDs and phones, and their one shared device: five entries of this decision.
        var rows = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "phone-farm" });
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        var row = rows.Filter(new() { Has = admin.GetByText("Device", new() { Exact = true }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("1");
        await Assertions.Expect(row).ToContainTextAsync("Active");
        await admin.Context.CloseAsync();
    }
}
