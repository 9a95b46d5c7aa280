using LoanHub.Web.Features.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>A store started without a configured admin password: the generated one is written to the log once and must be replaced.</summary>
public sealed class GeneratedPasswordHost : LoanHubHost
{
    private readonly PasswordLog log = new();

    public GeneratedPasswordHost() => Settings["LoanHub:Seed:AdminPassword"] = "";

    /// <summary>The generated password, as the operator reads it from the log.</summary>
    public string GeneratedPassword
    {
        get
        {
            _ = Services; // starts the host, which seeds the admin
            return log.Password ?? throw new InvalidOperationException("No generated password was logged.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(log));
    }

    private sealed class PasswordLog : ILoggerProvider, ILogger
    {
        public string? Password { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "Password").Value is string password)
                Password = password;
        }

        public void Dispose() { }
    }
}

public class FirstSignInTests(GeneratedPasswordHost host) : IClassFixture<GeneratedPasswordHost>
{
    [Fact]
    public async Task The_generated_admin_password_must_be_changed_before_the_console_opens()
    {
        var client = AccountClient.For(host);
        var generated = host.GeneratedPassword;
        await client.SignedInAsync(LoanHubHost.AdminEmail, generated);

        Assert.Equal(SignInRequirements.ChangePasswordPath, await client.RedirectOfAsync("/"));
        Assert.Equal(SignInRequirements.ChangePasswordPath, await client.RedirectOfAsync("/admin/users"));
        Assert.Contains("Choose your own", await client.Http.GetStringAsync(SignInRequirements.ChangePasswordPath), StringComparison.Ordinal);

        var changed = await client.PostFormAsync(SignInRequirements.ChangePasswordPath, new()
        {
            ["Input.OldPassword"] = generated,
            ["Input.NewPassword"] = "my own admin phrase",
            ["Input.ConfirmPassword"] = "my own admin phrase",
        });

        Assert.Contains("Your password has been changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await client.RedirectOfAsync("/"));
        var later = AccountClient.For(host);
        await later.SignedInAsync(LoanHubHost.AdminEmail, "my own admin phrase");
        Assert.Null(await later.RedirectOfAsync("/"));
    }

    [Fact]
    public async Task A_configured_admin_password_is_not_forced_to_change()
    {
        await using var configured = new LoanHubHost();
        var client = AccountClient.For(configured);
        await client.SignedInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);

        Assert.Null(await client.RedirectOfAsync("/"));
    }
}
