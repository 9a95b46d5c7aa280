namespace LoanHub.Web.Security;

public static class Roles
{
    public const string Admin = nameof(Admin);
    public const string OperationsManager = nameof(OperationsManager);
    public const string ComplianceReviewer = nameof(ComplianceReviewer);
    public const string Analyst = nameof(Analyst);

    public static IReadOnlyList<string> All { get; } = [Admin, OperationsManager, ComplianceReviewer, Analyst];

    public static string DisplayName(string role) => role switch
    {
        OperationsManager => "Operations manager",
        ComplianceReviewer => "Compliance reviewer",
        _ => role,
    };
}

/// <summary>One policy per row of the access table in the console issue; pages and endpoints name these, never roles.</summary>
public static class Policies
{
    public const string Console = "Console";
    public const string LendersRead = "Lenders.Read";
    public const string LendersEdit = "Lenders.Edit";
    public const string RoutingRead = "Routing.Read";
    public const string RoutingEdit = "Routing.Edit";
    public const string ReviewAct = "Review.Act";
    public const string ApplicationsRead = "Applications.Read";
    public const string RevealPersonalData = "Applications.Reveal";
    public const string Reports = "Reports";
    public const string AuditRead = "Audit.Read";
    public const string Users = "Users";
    public const string Blocklist = "Blocklist";
    public const string RiskRead = "Risk.Read";
    public const string RiskEdit = "Risk.Edit";
    public const string Alerts = "Alerts";
    public const string AlertRules = "Alerts.Rules";

    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [Console] = [Roles.Admin, Roles.OperationsManager, Roles.ComplianceReviewer, Roles.Analyst],
        [LendersRead] = [Roles.Admin, Roles.OperationsManager, Roles.Analyst],
        [LendersEdit] = [Roles.Admin, Roles.OperationsManager],
        [RoutingRead] = [Roles.Admin, Roles.OperationsManager, Roles.Analyst],
        [RoutingEdit] = [Roles.Admin, Roles.OperationsManager],
        [ReviewAct] = [Roles.Admin, Roles.ComplianceReviewer],
        [ApplicationsRead] = [Roles.Admin, Roles.OperationsManager, Roles.ComplianceReviewer, Roles.Analyst],
        [RevealPersonalData] = [Roles.Admin, Roles.ComplianceReviewer],
        [Reports] = [Roles.Admin, Roles.OperationsManager, Roles.Analyst],
        [AuditRead] = [Roles.Admin, Roles.OperationsManager, Roles.ComplianceReviewer],
        [Users] = [Roles.Admin],
        [Blocklist] = [Roles.Admin],
        // Reviewers work the cases the thresholds send them, operations and analysts plan volume on them: all read; admins set them.
        [RiskRead] = [Roles.Admin, Roles.OperationsManager, Roles.ComplianceReviewer, Roles.Analyst],
        [RiskEdit] = [Roles.Admin],
        // Whoever handles what the alerts are about sees and acknowledges them; admins tune the rules and their robots.
        [Alerts] = [Roles.Admin, Roles.OperationsManager, Roles.ComplianceReviewer],
        [AlertRules] = [Roles.Admin],
    };
}
