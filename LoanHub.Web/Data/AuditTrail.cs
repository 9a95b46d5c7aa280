using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;

namespace LoanHub.Web.Data;

/// <summary>Adds audit entries to the context of the change they describe, so both commit together or not at all.</summary>
public sealed class AuditTrail(LoanHubDbContext db, string actor, DateTimeOffset at)
{
    public void Record(string area, string action, string entityType, string entityId, object? before = null, object? after = null)
    {
        db.Audit.Add(new AuditEntry(at, actor, area, action, entityType, entityId, Serialize(before), Serialize(after)));
    }

    private static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, ConfigurationDocument.JsonOptions);
}
