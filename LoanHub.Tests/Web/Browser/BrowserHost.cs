using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using LoanHub.Web.Features.Users;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Browser;

/// <summary>
/// The application on a real Kestrel port, plus Debian's Chromium driven by Playwright. Playwright
/// cannot download its own browsers here, so it launches /usr/bin/chromium (override with LOANHUB_CHROMIUM).
/// </summary>
public class BrowserHost : LoanHubHost, IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public static string ChromiumPath => Environment.GetEnvironmentVariable("LOANHUB_CHROMIUM") ?? "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal).TrimEnd('/');

        // The machines are shared and slow at times: give web-first assertions as long as actions get.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
    }

    /// <summary>Debian's Chromium, headless, with the flags this machine needs.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        Headless = true,
        ExecutablePath = ChromiumPath,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A fresh browser context (its own cookies) on a page of the console, its browser set to <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, Locale = locale, ViewportSize = new() { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real login form and waits until the console's circuit is interactive.</summary>
    public async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitUntilInteractiveAsync(page);
        return page;
    }

    /// <summary>Creates a user with one role through the console's own user service and signs them in.</summary>
    public async Task<IPage> SignInAsNewUserAsync(string role, string displayName = "Test user")
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        const string password = "Journey-Passw0rd";
        var created = await Services.GetRequiredService<UserAdminService>().CreateAsync(TestUsers.Admin, new NewUser(email, displayName, password, [role]));
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        return await SignInAsync(email, password);
    }

    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "Browser";
}
