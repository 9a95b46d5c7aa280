namespace LoanHub.Web.Features.Account;

/// <summary>The words of the sign-in pages and their messages; Chinese in <c>AccountStrings.zh-CN.resx</c> (ADR 0014).</summary>
public sealed class AccountStrings;
