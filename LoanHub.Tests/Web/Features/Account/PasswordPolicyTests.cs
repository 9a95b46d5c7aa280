using LoanHub.Web.Features.Account;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>The password rules as the console's user service applies them: length and the common-password list, nothing else.</summary>
public class PasswordPolicyTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private Task<UserResult> CreateWithPasswordAsync(string password) =>
        host.Services.GetRequiredService<UserAdminService>().CreateAsync(
            TestUsers.Admin, new NewUser($"policy-{Guid.NewGuid():N}@test.local", "Policy", password, [Roles.Analyst]));

    [Fact]
    public async Task A_twelve_character_password_without_digits_or_capitals_is_accepted()
    {
        var result = await CreateWithPasswordAsync("tidal meadow");

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }

    [Fact]
    public async Task An_eleven_character_password_is_refused()
    {
        var result = await CreateWithPasswordAsync("Tidal-Mead0");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("at least 12 characters", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("Qwertyuiop123")]
    [InlineData("iloveyou2024!")]
    [InlineData("1q2w3e4r5t6y")]
    public async Task A_common_password_is_refused_whatever_its_case(string password)
    {
        var result = await CreateWithPasswordAsync(password);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("too common", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_list_holds_at_least_ten_thousand_passwords_none_shorter_than_the_minimum()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("LoanHub.Web.Features.Account.common-passwords.txt")!;
        var entries = new StreamReader(stream).ReadToEnd().Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.True(entries.Count >= 10_000, $"{entries.Count} entries");
        Assert.All(entries, e => Assert.True(e.Length >= 12, e));
        Assert.False(CommonPasswordValidator.IsCommon(LoanHubHost.AdminPassword));
        Assert.False(CommonPasswordValidator.IsCommon("LoanHub-Admin-2026")); // the demo's seeded password must stay usable
    }

    [Fact]
    public void The_lists_header_and_blank_lines_are_not_passwords_on_it()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("LoanHub.Web.Features.Account.common-passwords.txt")!;
        var header = new StreamReader(stream).ReadLine()!;

        Assert.StartsWith("#", header, StringComparison.Ordinal);
        Assert.False(CommonPasswordValidator.IsCommon(header));
        Assert.False(CommonPasswordValidator.IsCommon(""));
        Assert.True(CommonPasswordValidator.IsCommon("password1234"));
        // The list as read, not as cached for the process: comment and blank lines out, every other line in, any case.
        var parsed = CommonPasswordValidator.Parse(new StringReader("# a comment\n\npassword1234\n#another\nqwertyuiop12\n"));
        Assert.Equal(["password1234", "qwertyuiop12"], parsed.Order(StringComparer.Ordinal));
        Assert.Contains("PASSWORD1234", (IReadOnlySet<string>)parsed);
    }
}
