using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LoanHub.Web.Features.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>
/// A browser's view of the sign-in pages over plain HTTP: it keeps cookies, follows no redirects, and fills the
/// server-rendered forms with the hidden fields (antiforgery token, form handler) the page gave it.
/// </summary>
internal sealed partial class AccountClient(HttpClient client)
{
    public HttpClient Http => client;

    // https, as the console is served: the sign-in cookie is Secure and would not be sent over http. The browser asks
    // for English unless told otherwise (null: no Accept-Language at all), as the tests read the English pages.
    public static AccountClient For(LoanHubHost host, string? acceptLanguage = "en-US")
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        if (acceptLanguage is not null) client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return new(client);
    }

    /// <summary>Creates a user with one role through the console's user service.</summary>
    public static async Task<string> NewUserAsync(LoanHubHost host, string role, string password)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        var created = await host.Services.GetRequiredService<UserAdminService>().CreateAsync(TestUsers.Admin, new NewUser(email, "Test user", password, [role]));
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        return email;
    }

    /// <summary>A new user with one role, signed in on a client of their own.</summary>
    public static async Task<(string Email, AccountClient Client)> SignedInAsNewUserAsync(LoanHubHost host, string role, string password)
    {
        var email = await NewUserAsync(host, role, password);
        var client = For(host);
        await client.SignedInAsync(email, password);
        return (email, client);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Signs in and expects to be let through (a redirect away from the login page).</summary>
    public async Task SignedInAsync(string email, string password)
    {
        var response = await SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("/Account/Login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Opens the page, then submits its own form (the one that posts back to it, not the language switch's) with <paramref name="fields"/> over the hidden ones.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var own = Form().Matches(page)
            .Where(f => FormAction().Match(f.Groups["attributes"].Value) is not { Success: true } action || action.Groups["action"].Value == path)
            .Select(f => f.Groups["body"].Value);
        var form = own.SelectMany(body => HiddenInput().Matches(body))
            .ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields) form[name] = value;
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Where a console request of this client is sent: null when the page itself answers.</summary>
    public async Task<string?> RedirectOfAsync(string path)
    {
        var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.OK) return null;
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    [GeneratedRegex("<form(?<attributes>[^>]*)>(?<body>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("\\baction=\"(?<action>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}

/// <summary>RFC 6238 codes, computed here as an authenticator app would, independently of Identity's own implementation.</summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null)
    {
        var key = Base32(base32Key);
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.Replace(" ", "").TrimEnd('=').ToUpperInvariant().Select(c => Convert.ToString(alphabet.IndexOf(c), 2).PadLeft(5, '0')));
        return Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
    }
}
