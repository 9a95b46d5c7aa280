using System.Globalization;
using System.Net;
using LoanHub.Web.Features.Account;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>The sign-in pages for a Chinese browser: labels, validation messages and Identity's own messages.</summary>
public class SignInInChineseTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Password = "Sign-in in Chinese 2026";

    [Fact]
    public async Task The_sign_in_page_its_validation_and_its_refusal_are_in_chinese()
    {
        var client = ChineseBrowser();

        var page = await TextOfAsync(await client.Http.GetAsync("/Account/Login"));
        var empty = await TextOfAsync(await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "", ["Input.Password"] = "" }));
        var wrong = await TextOfAsync(await client.SignInAsync("nobody@test.local", "not the password at all"));

        Assert.Contains("<label for=\"email\">邮箱</label>", page, StringComparison.Ordinal);
        Assert.Contains(">登录</button>", page, StringComparison.Ordinal);
        Assert.Contains("请输入邮箱地址。", empty, StringComparison.Ordinal);
        Assert.Contains("请输入密码。", empty, StringComparison.Ordinal);
        Assert.Contains("邮箱或密码不正确。", wrong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_second_step_keeps_its_contract_label_findable_in_chinese()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        using (var scope = host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LoanHub.Web.Data.ApplicationUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }
        var client = ChineseBrowser();

        var second = await client.SignInAsync(email, Password);
        var page = await TextOfAsync(await client.Http.GetAsync(second.Headers.Location!.OriginalString));

        Assert.Contains("<label for=\"code\">身份验证器代码 (Authenticator code)</label>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Identitys_messages_read_as_identitys_own_in_english_and_are_chinese_in_chinese()
    {
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var errors = new LocalizedIdentityErrors(services.GetRequiredService<IStringLocalizer<AccountStrings>>());
        var identity = new IdentityErrorDescriber();
        Func<IdentityErrorDescriber, IdentityError>[] messages =
        [
            d => d.PasswordTooShort(12), d => d.PasswordMismatch(), d => d.DuplicateUserName("a@b.c"), d => d.DuplicateEmail("a@b.c"),
            d => d.InvalidEmail("x"), d => d.InvalidUserName("x"), d => d.PasswordRequiresUniqueChars(3), d => d.ConcurrencyFailure(),
            d => d.DefaultError(),
        ];

        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.All(messages, m => Assert.Equal(m(identity).Description, m(errors).Description));
            Assert.All(messages, m => Assert.Equal(m(identity).Code, m(errors).Code));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal("密码至少需要 12 个字符。", errors.PasswordTooShort(12).Description);
            Assert.All(messages, m => Assert.NotEqual(m(identity).Description, m(errors).Description));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private AccountClient ChineseBrowser() => AccountClient.For(host, "zh-CN,zh;q=0.9");

    // Prerendered pages carry Chinese as character references (Blazor's HTML encoder is fixed: dotnet/aspnetcore#47477).
    private static async Task<string> TextOfAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
}
