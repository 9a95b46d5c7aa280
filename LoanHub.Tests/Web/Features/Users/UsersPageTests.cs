using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LoanHub.Tests.Web.Features.Users;

/// <summary>The users page and its dialog over the real user service and store.</summary>
public class UsersPageTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly UserAdminService users;

    public UsersPageTests(LoanHubHost host)
    {
        users = host.Services.GetRequiredService<UserAdminService>();
        Services.AddSingleton(users);
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        SignInAs(LoanHubHost.AdminEmail, Roles.Admin);
    }

    [Fact]
    public async Task The_lock_button_on_your_own_row_is_disabled_and_says_why()
    {
        var other = $"analyst-{Guid.NewGuid():N}@test.local";
        Assert.True((await users.CreateAsync(TestUsers.Admin, new NewUser(other, "Other", "Other-Passw0rd-1", [Roles.Analyst]))).Succeeded);
        var popovers = RenderPopoverProvider();
        var page = Render<UsersPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"button[aria-label='Lock {other}']")), Wait);
        var own = page.Find($"button[aria-label='Lock {LoanHubHost.AdminEmail}']");
        Assert.True(own.HasAttribute("disabled"));
        Assert.False(page.Find($"button[aria-label='Lock {other}']").HasAttribute("disabled"));

        own.Closest(".mud-tooltip-root")!.PointerEnter();
        popovers.WaitForAssertion(() => Assert.Contains("You cannot lock your own account", popovers.Markup), Wait);
    }

    [Fact]
    public async Task The_new_user_dialog_flags_nothing_until_a_field_is_typed_in_or_the_form_is_submitted()
    {
        var dialogs = Render<MudDialogProvider>();
        RenderPopoverProvider();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<UserDialog>("New user",
            new DialogParameters<UserDialog>()));
        var email = dialogs.WaitForElement("#new-user-email", Wait);

        Assert.Empty(dialogs.FindAll(".mud-input-error"));
        email.Blur(); // focus moving on (the dialog taking focus, a tab past the field) is not an answer yet
        Assert.Empty(dialogs.FindAll(".mud-input-error"));
        Assert.DoesNotContain("Enter a valid email address.", dialogs.Markup);

        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Create user")).Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Enter an email address.", dialogs.Markup), Wait);
        Assert.Contains("Enter a display name.", dialogs.Markup);
        Assert.DoesNotContain("Enter a valid email address.", dialogs.Markup);

        dialogs.Find("#new-user-email").Change("not-an-email");
        dialogs.Find("#new-user-email").Blur();
        dialogs.WaitForAssertion(() => Assert.Contains("Enter a valid email address.", dialogs.Markup), Wait);
    }

    [Fact]
    public async Task A_passphrase_without_capitals_or_digits_is_taken_as_the_password_policy_has_no_composition_rules()
    {
        var email = $"phrase-{Guid.NewGuid():N}@test.local";
        var dialogs = Render<MudDialogProvider>();
        RenderPopoverProvider();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<UserDialog>("New user", new DialogParameters<UserDialog>()));

        dialogs.WaitForElement("#new-user-email", Wait).Change(email);
        dialogs.Find("#new-user-name").Change("Passphrase user");
        dialogs.Find("#new-user-password").Change("quiet harbour lantern");
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Create user")).Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#new-user-email")), Wait);
        Assert.Contains(await users.ListAsync(), u => u.Email == email);
    }

    [Fact]
    public async Task In_chinese_the_page_names_roles_and_actions_in_chinese()
    {
        InLanguage("zh-CN");
        var page = Render<UsersPage>();

        page.WaitForAssertion(() => Assert.Contains("管理员", page.Markup), Wait);
        Assert.Contains("新建用户", page.Markup);
        Assert.NotNull(page.Find($"button[aria-label='锁定 {LoanHubHost.AdminEmail}']"));
        await Task.CompletedTask; // async, so the language set above ends with this test (see InLanguage)
    }
}
