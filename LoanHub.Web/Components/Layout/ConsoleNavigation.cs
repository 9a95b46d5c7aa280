using LoanHub.Web.Security;
using MudBlazor;

namespace LoanHub.Web.Components.Layout;

public sealed record NavItem(string Title, string Href, string Icon, string Policy);

/// <summary>The console's areas in menu order; each shows only to the roles its page's policy admits.</summary>
public static class ConsoleNavigation
{
    public static IReadOnlyList<NavItem> Items { get; } =
    [
        new("Dashboard", "", Icons.Material.Filled.Dashboard, Policies.Console),
        new("Applications", "applications", Icons.Material.Filled.Description, Policies.ApplicationsRead),
        new("Review queue", "review", Icons.Material.Filled.FactCheck, Policies.ReviewAct),
        new("Lenders & products", "lenders", Icons.Material.Filled.AccountBalance, Policies.LendersRead),
        new("Traffic sources", "sources", Icons.Material.Filled.Campaign, Policies.LendersRead),
        new("Routing", "routing", Icons.Material.Filled.AltRoute, Policies.RoutingRead),
        new("Risk policy", "risk", Icons.Material.Filled.Policy, Policies.RiskRead),
        new("Reports", "reports", Icons.Material.Filled.Assessment, Policies.Reports),
        new("Alerts", "alerts", Icons.Material.Filled.NotificationsActive, Policies.Alerts),
        new("Audit log", "audit", Icons.Material.Filled.History, Policies.AuditRead),
        new("Users", "admin/users", Icons.Material.Filled.ManageAccounts, Policies.Users),
        new("Blocklist", "admin/blocklist", Icons.Material.Filled.Block, Policies.Blocklist),
    ];
}
