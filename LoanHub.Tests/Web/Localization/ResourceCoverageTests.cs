using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LoanHub.Tests.Web.Localization;

/// <summary>
/// Every word a component shows comes from a resource with an entry in Chinese (English is the key): each localizer
/// call's key has a zh-CN entry with the same placeholders, and markup and component code hold no English text of
/// their own. Read from the source, so a branch no test renders is covered too (ADR 0014).
/// </summary>
public partial class ResourceCoverageTests
{
    /// <summary>
    /// Components not yet moved to resources. This list only shrinks: the guard holds for every component not on it,
    /// and issue 13 is done when it is empty.
    /// </summary>
    private static readonly HashSet<string> NotYetTranslated = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Words that are the same in both languages: the product's name, units and acronyms of the trade.</summary>
    private static readonly HashSet<string> SameInBothLanguages = new(StringComparer.Ordinal)
    {
        "LoanHub", "LH", "API", "ID", "IP", "URL", "HTTP", "HTTPS", "JSON", "CSV", "Excel", "SLA", "TOTP", "CPL", "CPA", "CPS",
        "CST", "ms", "WeCom", "DingTalk", "English",
    };

    private static string WebRoot => Path.Combine(LoanHubHost.RepositoryRoot, "LoanHub.Web");

    private static IEnumerable<string> ComponentFiles() =>
        Directory.EnumerateFiles(WebRoot, "*.razor", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(WebRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal) && !f.EndsWith("_Imports.razor", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> Components() => [.. ComponentFiles()];

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_key_a_component_looks_up_has_chinese_with_the_same_placeholders(string component)
    {
        var missing = new List<string>();
        foreach (var (resource, key) in Lookups(component))
        {
            var entries = Chinese(resource);
            if (!entries.TryGetValue(key, out var chinese)) missing.Add($"{resource}: no zh-CN entry for \"{key}\"");
            else if (!Placeholders(key).SetEquals(Placeholders(chinese))) missing.Add($"{resource}: \"{key}\" and \"{chinese}\" differ in placeholders");
            else if (string.IsNullOrWhiteSpace(chinese)) missing.Add($"{resource}: \"{key}\" is empty in zh-CN");
        }
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void A_translated_component_shows_no_english_of_its_own(string component)
    {
        if (NotYetTranslated.Contains(component)) return;
        var english = EnglishIn(component).ToList();
        Assert.True(english.Count == 0, $"{component} shows text that is in no resource:{Environment.NewLine}{string.Join(Environment.NewLine, english)}");
    }

    [Fact]
    public void The_list_of_components_not_yet_translated_names_only_components_that_exist()
    {
        var components = ComponentFiles().ToHashSet(StringComparer.Ordinal);
        Assert.Equal([], NotYetTranslated.Where(c => !components.Contains(c)).Order(StringComparer.Ordinal));
    }

    /// <summary>English found in <paramref name="component"/> outside localizer calls: markup text, visible attributes, sentences in code.</summary>
    internal static IEnumerable<string> EnglishIn(string component)
    {
        var source = File.ReadAllText(Path.Combine(WebRoot, component));
        var codeBehind = Path.Combine(WebRoot, component + ".cs");
        var markup = WithoutCode(source, out var code);
        if (File.Exists(codeBehind)) code += File.ReadAllText(codeBehind);

        foreach (Match text in TextNode().Matches(markup))
            foreach (var line in text.Groups["text"].Value.Split('\n'))
            {
                if (Words(WithoutRazor(line)) is { Length: > 0 } words) yield return $"  text: {line.Trim()}  [{words}]";
                // Literals inside the line's expressions are shown too (@(granted ? "granted" : "not granted")).
                foreach (Match literal in Literal().Matches(line))
                    if (!IsLocalizerKey(literal) && !FormatString().IsMatch(literal.Groups["text"].Value) && Words(literal.Groups["text"].Value) is { Length: > 0 } shown)
                        yield return $"  text: {line.Trim()}  [{shown}]";
            }
        foreach (Match attribute in VisibleAttribute().Matches(markup))
            if (!attribute.Groups["value"].Value.StartsWith('@') && Words(attribute.Groups["value"].Value) is { Length: > 0 } words)
                yield return $"  {attribute.Groups["name"].Value}=\"{attribute.Groups["value"].Value}\"  [{words}]";
        foreach (Match literal in Sentence().Matches(markup + "\n" + code))
            if (!IsLocalizerKey(literal) && !IsNotShown(literal, markup + "\n" + code))
                yield return $"  string: {literal.Value}";
    }

    private static string Words(string text) =>
        string.Join(" ", EnglishWord().Matches(text).Select(m => m.Value).Where(w => !SameInBothLanguages.Contains(w)));

    /// <summary>The markup without razor comments, @code blocks (returned in <paramref name="code"/>), scripts and styles.</summary>
    private static string WithoutCode(string source, out string code)
    {
        source = RazorComment().Replace(source, "");
        source = HtmlComment().Replace(source, "");
        source = ScriptOrStyle().Replace(source, "");
        source = Directive().Replace(source, "");
        source = ControlLine().Replace(source, "");
        // C#'s arrows and comparisons inside razor expressions are not the end of a tag.
        source = source.Replace("=>", "  ", StringComparison.Ordinal).Replace(">=", "  ", StringComparison.Ordinal)
            .Replace(" > ", "   ", StringComparison.Ordinal);
        var at = source.IndexOf("@code", StringComparison.Ordinal);
        code = at < 0 ? "" : source[at..];
        return at < 0 ? source : source[..at];
    }

    /// <summary>A line of markup text with razor expressions and control flow taken out.</summary>
    private static string WithoutRazor(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith("@if", StringComparison.Ordinal) || trimmed.StartsWith("@foreach", StringComparison.Ordinal)
            || trimmed.StartsWith("@for", StringComparison.Ordinal) || trimmed.StartsWith("@switch", StringComparison.Ordinal)
            || trimmed.StartsWith("else", StringComparison.Ordinal) || trimmed.StartsWith("case ", StringComparison.Ordinal)
            || trimmed.StartsWith("@{", StringComparison.Ordinal) || trimmed.StartsWith("@using", StringComparison.Ordinal)
            || trimmed.StartsWith("@inject", StringComparison.Ordinal) || trimmed.StartsWith("@attribute", StringComparison.Ordinal)
            || trimmed.StartsWith("@page", StringComparison.Ordinal) || trimmed.StartsWith("@layout", StringComparison.Ordinal)
            || trimmed.StartsWith("@inherits", StringComparison.Ordinal) || trimmed.StartsWith("@implements", StringComparison.Ordinal)
            || trimmed.StartsWith("@rendermode", StringComparison.Ordinal) || trimmed.StartsWith("@typeparam", StringComparison.Ordinal)
            || trimmed.StartsWith("var ", StringComparison.Ordinal) || trimmed.EndsWith(';'))
            return "";
        return RazorExpression().Replace(line, "");
    }

    private static bool IsLocalizerKey(Match literal)
    {
        var before = literal.Index >= 2 ? literal.Result("$`") : "";
        return LocalizerCallBefore().IsMatch(before) || ValidationMessageBefore().IsMatch(before);
    }

    /// <summary>Strings that never reach the page: logs, exceptions, test ids, CSS.</summary>
    private static bool IsNotShown(Match literal, string text)
    {
        var lineStart = text.LastIndexOf('\n', literal.Index) + 1;
        var line = text[lineStart..literal.Index];
        // Audit entries are stored in English and translated where the audit log shows them.
        return line.Contains("Log", StringComparison.Ordinal) || line.Contains("Audit.", StringComparison.Ordinal) || line.Contains("throw", StringComparison.Ordinal)
            || line.Contains("Exception(", StringComparison.Ordinal) || line.Contains("data-testid", StringComparison.Ordinal)
            || line.Contains("Style", StringComparison.Ordinal) || line.Contains("Class", StringComparison.Ordinal)
            || line.TrimStart().StartsWith("//", StringComparison.Ordinal) || line.TrimStart().StartsWith("///", StringComparison.Ordinal);
    }

    /// <summary>(resource, key) of every literal localizer call in the component and its code-behind.</summary>
    private static IEnumerable<(string Resource, string Key)> Lookups(string component)
    {
        var source = File.ReadAllText(Path.Combine(WebRoot, component));
        var codeBehind = Path.Combine(WebRoot, component + ".cs");
        if (File.Exists(codeBehind)) source += "\n" + File.ReadAllText(codeBehind);
        var localizers = new Dictionary<string, string>(StringComparer.Ordinal) { ["T"] = "ConsoleStrings" };
        foreach (Match declared in LocalizerDeclaration().Matches(source)) localizers[declared.Groups["name"].Value] = declared.Groups["resource"].Value;
        foreach (Match call in LocalizerCall().Matches(source))
            if (localizers.TryGetValue(call.Groups["localizer"].Value, out var resource))
                yield return (resource, Regex.Unescape(call.Groups["key"].Value));
        // Validation messages are keys of the feature's resource: the component shows them through its localizer L.
        if (localizers.TryGetValue("L", out var feature))
            foreach (Match message in ValidationMessage().Matches(source))
                yield return (feature, Regex.Unescape(message.Groups["key"].Value));
    }

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> ResourceCache = [];

    private static IReadOnlyDictionary<string, string> Chinese(string resource)
    {
        lock (ResourceCache)
        {
            if (ResourceCache.TryGetValue(resource, out var cached)) return cached;
            var file = Directory.EnumerateFiles(WebRoot, resource + ".zh-CN.resx", SearchOption.AllDirectories)
                .SingleOrDefault(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
            IReadOnlyDictionary<string, string> entries = file is null
                ? new Dictionary<string, string>()
                : XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
            return ResourceCache[resource] = entries;
        }
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"IStringLocalizer<(?<resource>\w+)>\s+(?<name>\w+)")]
    private static partial Regex LocalizerDeclaration();

    [GeneratedRegex(@"(?<![\w.])(?<localizer>[A-Z]\w*)\[\s*""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LocalizerCall();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*\[\s*$")]
    private static partial Regex LocalizerCallBefore();

    [GeneratedRegex(@"ErrorMessage\s*=\s*""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex ValidationMessage();

    [GeneratedRegex(@"ErrorMessage\s*=\s*$")]
    private static partial Regex ValidationMessageBefore();

    [GeneratedRegex(@"^[ \t]*(?:@(?:if|foreach|for|while|switch)\b|else\b|\}\s*else\b).*$", RegexOptions.Multiline)]
    private static partial Regex ControlLine();

    [GeneratedRegex(@"^[ \t]*@(?:inject|using|page|attribute|layout|inherits|implements|rendermode|typeparam)\b.*$", RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"\{\d+(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@">(?<text>[^<>]+)<")]
    private static partial Regex TextNode();

    // @(...) with one level of nested parentheses, @identifier.member["key"](args)?.more, @@.
    [GeneratedRegex(@"@\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)|@[A-Za-z_][\w.]*(?:\[[^\]]*\]|\((?:[^()]|\([^()]*\))*\)|\?\.\w+|\.\w+)*|@@")]
    private static partial Regex RazorExpression();

    [GeneratedRegex(@"\b(?<name>Label|Text|Title|HelperText|Placeholder|placeholder|aria-label|title|alt|ConfirmText|CancelText|Message|Detail|Tooltip|AdornmentAriaLabel)=""(?<value>[^""]*)""")]
    private static partial Regex VisibleAttribute();

    [GeneratedRegex(@"""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Literal();

    // Number and date formats ("N2", "yyyy-MM-dd HH:mm"), not words.
    [GeneratedRegex(@"^[yMdHhmsfNCP0-9:\-/. ]*$")]
    private static partial Regex FormatString();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z']+\b")]
    private static partial Regex EnglishWord();

    // A string literal that reads as words to a person: a capital, then at least one more word.
    [GeneratedRegex(@"""[A-Z][a-z]+(?:[ ,'’-]+[A-Za-z]+)+[^""\\]*""")]
    private static partial Regex Sentence();
}
