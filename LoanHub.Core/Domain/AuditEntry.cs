namespace LoanHub.Core.Domain;

/// <summary>Who did what, when, to which record, with the record before and after (JSON).</summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Actor { get; private set; } = "";
    /// <summary>The console area the change belongs to (Lenders, Routing, Review, Users, Applications, System).</summary>
    public string Area { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string EntityType { get; private set; } = "";
    public string EntityId { get; private set; } = "";
    public string? Before { get; private set; }
    public string? After { get; private set; }

    private AuditEntry() { }

    public AuditEntry(DateTimeOffset at, string actor, string area, string action, string entityType, string entityId,
        string? before = null, string? after = null)
    {
        At = at;
        Actor = actor;
        Area = area;
        Action = action;
        EntityType = entityType;
        EntityId = entityId;
        Before = before;
        After = after;
    }
}
