namespace LoanHub.Web.Localization;

/// <summary>
/// The words every page shares (the shell, buttons, states), injected into every component as <c>T</c>. Keys are the
/// English text, which is also what English shows; <c>ConsoleStrings.zh-CN.resx</c> holds the Chinese. Words of one
/// feature live in that feature's own resource, injected as <c>L</c>.
/// </summary>
public sealed class ConsoleStrings;
