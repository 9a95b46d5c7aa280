namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// The words of the lenders page and its dialogs, and of the partner dialogs the sources page shares; the Chinese is in
/// <c>LendersStrings.zh-CN.resx</c>, keyed by the English (ADR 0014).
/// </summary>
public sealed class LendersStrings;
