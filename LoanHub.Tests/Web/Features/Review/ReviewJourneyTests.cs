using LoanHub.Tests.Web.Browser;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Review;

[Collection(BrowserCollection.Name)]
public class ReviewJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Reviewer_approves_a_flagged_applicant_and_sees_it_routed()
    {
        // Three identities on one device: the third is held for review as a ring member. Its name masks to 司***.
        using var intake = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var device = $"journey-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++)
        {
            var body = ValidBody(nationalId: NationalId(351_000 + i), deviceId: device);
            body["fullName"] = "司马相如";
            (await PostAsync(intake, body)).EnsureSuccessStatusCode();
        }

        var page = await host.SignInAsNewUserAsync(Roles.ComplianceReviewer, "Rita Reviewer");
        await page.GetByRole(AriaRole.Link, new() { Name = "Review queue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review queue", Level = 1 })).ToBeVisibleAsync();
        await BrowserHost.WaitUntilInteractiveAsync(page);

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "司***" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("RING");
        await row.GetByRole(AriaRole.Button, new() { Name = "Claim case of 司***" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("You");

        await row.GetByRole(AriaRole.Link, new() { Name = "司***" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review case · 司***", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Claimed by you");
        await Assertions.Expect(page.GetByTestId("cluster-graph")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Write a note that explains the decision.");
        await dialog.GetByLabel("Note").FillAsync("Called the applicant: three relatives share one tablet.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("decision-result")).ToContainTextAsync("approved and routed to");
        await Assertions.Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Approved");
        await page.Context.CloseAsync();
    }
}
