using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LoanHub.Web.Features.Applications;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Audit;

/// <summary>What an audit entry touched, in the console's words (the English, which is the key of <see cref="AuditStrings"/>), and the page that shows it when there is one.</summary>
/// <param name="Href">The record's own page (an application, a review case); null when it has none.</param>
public sealed record AuditRecordLabel(string Kind, string Name, string? Href)
{
    public override string ToString() => $"{Kind} {Name}";
}

/// <summary>
/// Turns the entity types and ids the audit log stores (class names, keys) into what a reader of the log
/// recognises. The stored entries stay as they are: they are evidence and are never rewritten. Areas and actions are
/// stored in English and shown in the reader's language where the resource has them; one it does not know (an action
/// added later) is shown as it was stored.
/// </summary>
public static partial class AuditRecordText
{
    public const string RevealAction = "Personal data revealed";

    public static string Area(this IStringLocalizer<AuditStrings> L, string area) => L[area];

    public static string Action(this IStringLocalizer<AuditStrings> L, string action) => L[action];

    public static string Record(this IStringLocalizer<AuditStrings> L, AuditRecordLabel record) => $"{L[record.Kind]} {record.Name}";

    /// <summary>
    /// What <paramref name="entityType"/> <paramref name="entityId"/> is called in the console. A record known by a
    /// generated id is named by what people know it by (an application's reference, given as <paramref name="knownAs"/>
    /// by <see cref="AuditService"/>); without one the whole id is shown: ids made close in time share their first
    /// characters, so a shortened one does not tell entries apart.
    /// </summary>
    public static AuditRecordLabel Describe(string entityType, string entityId, string? knownAs = null)
    {
        var isGuid = Guid.TryParse(entityId, out var guid);
        var name = knownAs ?? entityId;
        return entityType switch
        {
            "LoanApplication" => new("Application", name, isGuid ? $"applications/{guid}" : null),
            "ReviewCase" => new("Review case", name, isGuid ? $"review/{guid}" : null),
            "LenderProduct" => new("Product", name, "lenders"),
            "Lender" => new("Lender", name, "lenders"),
            "TrafficSource" => new("Source", name, "sources"),
            "User" => new("User", name, null),
            "RoutingPolicy" => new("Routing policy version", name, "routing"),
            "RiskPolicyVersion" => new("Risk policy version", name, "risk"),
            "BlocklistEntry" => new("Blocklist entry", name, "admin/blocklist"),
            "Alert" => new("Alert", name, "alerts"),
            "AlertRule" => new("Alert rule", name, "alerts"),
            _ => new(Words(entityType), name, null),
        };
    }

    /// <summary>The personal field a reveal entry disclosed ("National ID"), or null when the entry is not a reveal.</summary>
    public static string? RevealedField(AuditRow row)
    {
        if (row.Action != RevealAction || string.IsNullOrWhiteSpace(row.After)) return null;
        try
        {
            // The audit trail writes camelCase ({"field":"NationalId"}); read the name whatever its case.
            var field = (JsonNode.Parse(row.After) as JsonObject)?
                .FirstOrDefault(p => string.Equals(p.Key, "Field", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
            return Enum.TryParse<PersonalField>(field, out var known) ? FieldName(known) : field;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string FieldName(PersonalField field) => field switch
    {
        PersonalField.NationalId => "National ID",
        PersonalField.DeviceId => "Device ID",
        PersonalField.IpAddress => "IP address",
        _ => field.ToString(),
    };

    /// <summary>"PartnerContract" → "Partner contract", for entity types added after this list.</summary>
    private static string Words(string typeName)
    {
        var words = WordStart().Replace(typeName, " $1").Trim();
        return words.Length == 0 ? typeName : words[..1].ToUpperInvariant() + words[1..].ToLowerInvariant();
    }

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex WordStart();
}
