using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoanHub.Web.Features.Audit;

public enum DiffKind { Unchanged, Changed, Added, Removed }

public sealed record AuditDiffLine(string Field, string? Before, string? After, DiffKind Kind);

/// <summary>Lines up the top-level fields of an audit entry's before and after JSON, so a change reads field by field.</summary>
public static class AuditDiff
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<AuditDiffLine> Compare(string? before, string? after)
    {
        var old = Parse(before);
        var now = Parse(after);
        if (old is null && now is null) return [];
        if (old is not (null or JsonObject) || now is not (null or JsonObject))
            return [Line("(value)", old, now, old is not null, now is not null)];

        var oldFields = (JsonObject?)old ?? [];
        var newFields = (JsonObject?)now ?? [];
        var names = oldFields.Select(p => p.Key).Concat(newFields.Select(p => p.Key).Where(k => !oldFields.ContainsKey(k)));
        return [.. names.Select(name => Line(name, oldFields[name], newFields[name], oldFields.ContainsKey(name), newFields.ContainsKey(name)))];
    }

    /// <summary>The whole document indented, for the raw view; text that is not JSON is shown as it is.</summary>
    public static string? Format(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(Pretty) ?? "null";
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static AuditDiffLine Line(string field, JsonNode? before, JsonNode? after, bool hadBefore, bool hasAfter)
    {
        var kind = (hadBefore, hasAfter) switch
        {
            (false, true) => DiffKind.Added,
            (true, false) => DiffKind.Removed,
            _ => JsonNode.DeepEquals(before, after) ? DiffKind.Unchanged : DiffKind.Changed,
        };
        return new AuditDiffLine(field, hadBefore ? Show(before) : null, hasAfter ? Show(after) : null, kind);
    }

    private static string Show(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(Pretty),
    };

    private static JsonNode? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
