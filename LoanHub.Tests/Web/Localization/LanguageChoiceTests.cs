using System.Net;
using System.Text.RegularExpressions;
using LoanHub.Tests.Web.Features.Account;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Localization;

/// <summary>Which language a page comes in: the user's saved choice, this browser's, the browser's Accept-Language, else Chinese.</summary>
public partial class LanguageChoiceTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Password = "Language tests 2026";

    [Theory]
    [InlineData(null, "zh-CN")]
    [InlineData("zh-CN,zh;q=0.9", "zh-CN")]
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("fr-FR,de;q=0.8", "zh-CN")]
    [InlineData("fr-FR,en;q=0.5", "en")]
    public async Task Without_a_choice_the_page_follows_accept_language_and_otherwise_is_chinese(string? acceptLanguage, string expected)
    {
        var client = AccountClient.For(host, acceptLanguage);

        Assert.Equal(expected, LanguageOf(await client.Http.GetStringAsync("/Account/Login")));
    }

    [Fact]
    public async Task A_choice_made_before_signing_in_is_remembered_by_this_browser_over_its_accept_language()
    {
        var client = AccountClient.For(host, "zh-CN");

        var chosen = await ChooseAsync(client, "en", "/Account/Login");

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/Account/Login", chosen.Headers.Location!.OriginalString);
        var page = await client.Http.GetStringAsync("/Account/Login");
        Assert.Equal("en", LanguageOf(page));
        Assert.Contains(">Sign in</button>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_users_choice_is_saved_on_the_user_and_follows_them_to_another_browser()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        var here = AccountClient.For(host);
        await here.SignedInAsync(email, Password);

        await ChooseAsync(here, "en", "/reports");

        using (var scope = host.Services.CreateScope())
            Assert.Equal("en", (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email))!.PreferredLanguage);
        // Another browser that asks for Chinese: the sign-in page is Chinese, the console after sign-in the user's English.
        var elsewhere = AccountClient.For(host, "zh-CN");
        Assert.Equal("zh-CN", LanguageOf(await elsewhere.Http.GetStringAsync("/Account/Login")));
        await elsewhere.SignedInAsync(email, Password);
        Assert.Equal("en", LanguageOf(await elsewhere.Http.GetStringAsync("/reports")));
    }

    [Fact]
    public async Task An_unknown_language_is_refused_with_problem_details_and_changes_nothing()
    {
        var client = AccountClient.For(host);

        var refused = await ChooseAsync(client, "xx-YY", "/Account/Login");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("https://elsewhere.example/phish")]
    [InlineData("//elsewhere.example/phish")]
    [InlineData("/\\elsewhere.example/phish")]
    public async Task The_switch_never_sends_the_browser_off_the_site(string returnUrl)
    {
        var client = AccountClient.For(host);

        var chosen = await ChooseAsync(client, "en", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/", chosen.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_switch_needs_the_antiforgery_token()
    {
        var client = AccountClient.For(host);

        var forged = await client.Http.PostAsync("/Account/Language",
            new FormUrlEncodedContent([new("language", "en"), new("returnUrl", "/")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie"));
    }

    /// <summary>Presses a language in the sign-in page's switch, with the token the page gave, to come back to <paramref name="returnUrl"/>.</summary>
    private static async Task<HttpResponseMessage> ChooseAsync(AccountClient client, string language, string returnUrl)
    {
        var page = await client.Http.GetStringAsync("/Account/Login");
        var token = Token().Match(page).Groups["token"].Value;
        return await client.Http.PostAsync("/Account/Language", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("language", language), new("returnUrl", returnUrl)]));
    }

    private static string LanguageOf(string page) => HtmlLanguage().Match(page).Groups["lang"].Value;

    [GeneratedRegex("<html lang=\"(?<lang>[^\"]*)\"")]
    private static partial Regex HtmlLanguage();

    [GeneratedRegex("action=\"Account/Language\".*?name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"", RegexOptions.Singleline)]
    private static partial Regex Token();
}
