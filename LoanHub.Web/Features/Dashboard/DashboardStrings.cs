namespace LoanHub.Web.Features.Dashboard;

/// <summary>The dashboard's words; Chinese in <c>DashboardStrings.zh-CN.resx</c> (ADR 0014).</summary>
public sealed class DashboardStrings;
