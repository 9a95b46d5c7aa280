using LoanHub.Tests.Web.Features.Account;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

/// <summary>The browser host as installed outside Development: two-factor required, the seeded admin enrolled with a known key.</summary>
public sealed class TwoFactorBrowserHost : BrowserHost
{
    public TwoFactorBrowserHost()
    {
        Settings["LoanHub:Security:RequireTwoFactor"] = "true";
        Settings["LoanHub:Seed:AdminTotpSecret"] = TwoFactorHost.AdminTotpSecret;
    }
}

[Collection(BrowserCollection.Name)]
public class TwoFactorSignInJourneyTests(TwoFactorBrowserHost host) : IClassFixture<TwoFactorBrowserHost>
{
    [Fact]
    public async Task Admin_signs_in_with_an_authenticator_code_and_reaches_the_dashboard()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(LoanHubHost.AdminEmail);
        await page.GetByLabel("Password").FillAsync(LoanHubHost.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Not WaitForURLAsync: when the URL already matches it checks the load state and then subscribes, and a `load`
        // delivered in between is lost (microsoft/playwright-dotnet#3364): the wait then times out on a loaded page.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa"));
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(TwoFactorHost.AdminTotpSecret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserHost.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync(LoanHubHost.AdminEmail);
        await page.Context.CloseAsync();
    }
}
