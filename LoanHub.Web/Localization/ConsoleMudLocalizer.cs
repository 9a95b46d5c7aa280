using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Localization;

/// <summary>
/// MudBlazor's own words (a table's "select all rows", "select row") from the console's resource: its keys
/// (<c>MudTable_SelectAllRows</c>) have Chinese in <c>ConsoleStrings.zh-CN.resx</c>. A key without an entry is "not found",
/// and MudBlazor then shows its English, as it does in English.
/// </summary>
internal sealed class ConsoleMudLocalizer(IStringLocalizer<ConsoleStrings> T) : MudLocalizer
{
    public override LocalizedString this[string key] => T[key];

    public override LocalizedString this[string key, params object[] arguments] => T[key, arguments];
}
