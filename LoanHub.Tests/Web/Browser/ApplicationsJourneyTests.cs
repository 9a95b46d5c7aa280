using System.Text.RegularExpressions;
using LoanHub.Core.Identity;
using LoanHub.Web.Security;
using Microsoft.Playwright;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Browser;

/// <summary>The applications list's filters in the address, in a real browser. National IDs 365,000–365,999.</summary>
[Collection(BrowserCollection.Name)]
public class ApplicationsJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task A_filter_chosen_on_the_page_goes_into_the_address_and_back_returns_to_the_previous_one()
    {
        var nationalId = NationalId(365_001);
        using (var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) })
        {
            var body = ValidBody(nationalId: nationalId);
            body["requestedAmount"] = 300_000; // more than any product lends: unmatched, no eligible product
            (await PostAsync(http, body)).EnsureSuccessStatusCode();
        }
        var page = await host.SignInAsNewUserAsync(Roles.Analyst);
        await page.GotoAsync("/applications?status=Unmatched");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        var export = page.GetByTestId("export-csv");
        await Assertions.Expect(export).ToHaveAttributeAsync("href", new Regex(@"export\.csv\?status=Unmatched$"));

        await page.GetByTestId("cause-NoEligibleProduct").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/applications\?status=Unmatched&cause=NoEligibleProduct$"));
        await Assertions.Expect(export).ToHaveAttributeAsync("href", new Regex(@"export\.csv\?status=Unmatched&cause=NoEligibleProduct$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = ResidentId.Mask(nationalId) })).ToHaveCountAsync(1);

        await page.GoBackAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/applications\?status=Unmatched$"));
        await Assertions.Expect(export).ToHaveAttributeAsync("href", new Regex(@"export\.csv\?status=Unmatched$"));

        // The address opens the same list in a fresh page, as a link someone shared would.
        await page.GoForwardAsync();
        await page.ReloadAsync();
        await BrowserHost.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(export).ToHaveAttributeAsync("href", new Regex(@"export\.csv\?status=Unmatched&cause=NoEligibleProduct$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = ResidentId.Mask(nationalId) })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
