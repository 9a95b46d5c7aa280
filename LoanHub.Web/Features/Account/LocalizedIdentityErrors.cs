using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Account;

/// <summary>
/// Identity's messages for what a user can cause (passwords, names, addresses) in the page's language. The keys are
/// Identity's own English sentences, so English reads exactly as before.
/// </summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<AccountStrings> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => In(base.PasswordTooShort(length), "Passwords must be at least {0} characters.", length);

    public override IdentityError PasswordMismatch() => In(base.PasswordMismatch(), "Incorrect password.");

    public override IdentityError DuplicateUserName(string userName) => In(base.DuplicateUserName(userName), "Username '{0}' is already taken.", userName);

    public override IdentityError DuplicateEmail(string email) => In(base.DuplicateEmail(email), "Email '{0}' is already taken.", email);

    public override IdentityError InvalidEmail(string? email) => In(base.InvalidEmail(email), "Email '{0}' is invalid.", email ?? "");

    public override IdentityError InvalidUserName(string? userName) =>
        In(base.InvalidUserName(userName), "Username '{0}' is invalid, can only contain letters or digits.", userName ?? "");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        In(base.PasswordRequiresUniqueChars(uniqueChars), "Passwords must use at least {0} different characters.", uniqueChars);

    public override IdentityError ConcurrencyFailure() => In(base.ConcurrencyFailure(), "Optimistic concurrency failure, object has been modified.");

    public override IdentityError DefaultError() => In(base.DefaultError(), "An unknown failure has occurred.");

    private IdentityError In(IdentityError english, string key, params object[] arguments) =>
        new() { Code = english.Code, Description = text[key, arguments] };
}
