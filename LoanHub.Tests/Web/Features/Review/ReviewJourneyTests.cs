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
        await Assertions.Expect(row).ToContainTextAsync("Fraud ring");
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

    /// <summary>Two applicants sharing a phone with someone: each second one waits in review with PHONE_SHARED, under its own name.</summary>
    private async Task PostSharedPhonePairAsync(HttpClient intake, int firstId, string fullName)
    {
        var phone = $"136{Random.Shared.Next(10_000_000, 99_999_999)}";
        (await PostAsync(intake, ValidBody(nationalId: NationalId(firstId), phone: phone))).EnsureSuccessStatusCode();
        var held = ValidBody(nationalId: NationalId(firstId + 1), phone: phone);
        held["fullName"] = fullName;
        (await PostAsync(intake, held)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_admin_gives_a_case_to_a_reviewer_whose_open_queue_shows_it_at_once_and_who_decides_it_from_the_keyboard()
    {
        using var intake = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        await PostSharedPhonePairAsync(intake, 352_000, "端木蓉");
        await PostSharedPhonePairAsync(intake, 352_010, "皇甫嵩");
        var rita = $"rita-{Guid.NewGuid():N}@test.local";
        const string password = "Journey-Passw0rd";
        Assert.True((await host.Services.GetRequiredService<UserAdminService>()
            .CreateAsync(TestUsers.Admin, new NewUser(rita, "Rita Reviewer", password, [Roles.ComplianceReviewer]))).Succeeded);

        var reviewer = await host.SignInAsync(rita, password);
        await reviewer.GotoAsync("/review");
        await BrowserHost.WaitUntilInteractiveAsync(reviewer);
        var row = reviewer.GetByRole(AriaRole.Row).Filter(new() { HasText = "端**" });
        await Assertions.Expect(row).ToContainTextAsync("Shared phone"); // the reason in words; its code is in the tooltip
        await Assertions.Expect(row).ToContainTextAsync("unclaimed");

        var admin = await host.SignInAsNewUserAsync(Roles.Admin);
        await admin.GotoAsync("/review");
        await BrowserHost.WaitUntilInteractiveAsync(admin);
        await admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "端**" }).GetByRole(AriaRole.Link, new() { Name = "端**" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Review case · 端**", Level = 1 })).ToBeVisibleAsync();
        await admin.GetByTestId("reassign").ClickAsync();
        await admin.GetByRole(AriaRole.Menuitem, new() { Name = rita }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("case-status")).ToContainTextAsync(rita);

        // Rita's queue was not reloaded: the review signal brought the change.
        await Assertions.Expect(row).ToContainTextAsync("You");
        await row.GetByRole(AriaRole.Link, new() { Name = "端**" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("case-status")).ToHaveTextAsync("Claimed by you");
        await Assertions.Expect(reviewer.GetByTestId("open-application")).ToBeVisibleAsync();
        await Assertions.Expect(reviewer.Locator("[data-sla]")).ToHaveAttributeAsync("data-sla", "within");
        await BrowserHost.WaitUntilInteractiveAsync(reviewer);
        await reviewer.Keyboard.PressAsync("r");
        var dialog = reviewer.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Note").FillAsync("Phone belongs to a call centre; applicant could not be reached.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("case-status")).ToHaveTextAsync("Rejected");

        await reviewer.Keyboard.PressAsync("n");
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Heading, new() { Level = 1 })).Not.ToHaveTextAsync("Review case · 端**");
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Review case · ");
        await reviewer.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }
}
