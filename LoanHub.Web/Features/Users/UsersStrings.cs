namespace LoanHub.Web.Features.Users;

/// <summary>
/// The user admin page's words, and <see cref="UserAdminService"/>'s refusals, which it returns in English as keys for
/// the page to show; Chinese in <c>UsersStrings.zh-CN.resx</c> (ADR 0014).
/// </summary>
public sealed class UsersStrings;
