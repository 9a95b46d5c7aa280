using System.Globalization;
using System.Security.Claims;
using Bunit;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Services;

namespace LoanHub.Tests.Web.Components;

/// <summary>
/// Base for component tests: MudBlazor services, loose JS interop, and the console's real
/// authorization policies evaluated against a signed-in user with the given roles.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    private readonly SignedInUser user = new();

    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        // The console's words follow the UI culture; these tests read the English unless they choose otherwise.
        InLanguage("en");
        // bUnit registers placeholders for these; the tests want the console's real policies instead.
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<AuthenticationStateProvider>();
        Services.AddAuthorizationCore(SecurityExtensions.AddPolicies);
        Services.AddSingleton<AuthenticationStateProvider>(user);
        Services.AddCascadingAuthenticationState();
    }

    /// <summary>
    /// Renders from now on as a browser asking for <paramref name="language"/> would see it. Call it in an async test:
    /// the culture set there ends with the test instead of staying on the thread.
    /// </summary>
    protected static void InLanguage(string language) =>
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);

    /// <summary>The resource <typeparamref name="T"/> as a browser asking for <paramref name="language"/> reads it from now on.</summary>
    protected IStringLocalizer<T> Localizer<T>(string language)
    {
        InLanguage(language);
        return Services.GetRequiredService<IStringLocalizer<T>>();
    }

    protected static bool HasChinese(string text) => text.Any(c => c >= '\u4E00' && c <= '\u9FFF');

    protected void SignInAs(string email, params string[] roles) => user.Set(email, roles);

    /// <summary>Renders the popover provider first, as the console's layout does, so menus and dialogs can open.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only async-disposable, and xunit 2 calls only Dispose on test classes.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    private sealed class SignedInUser : AuthenticationStateProvider
    {
        private ClaimsPrincipal principal = new(new ClaimsIdentity());

        public void Set(string email, string[] roles)
        {
            var claims = new List<Claim> { new(ClaimTypes.Name, email) };
            claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
            principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
            NotifyAuthenticationStateChanged(GetAuthenticationStateAsync());
        }

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(principal));
    }
}
