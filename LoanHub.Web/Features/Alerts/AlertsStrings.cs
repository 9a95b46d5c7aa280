namespace LoanHub.Web.Features.Alerts;

/// <summary>The alert centre's words, the rules' names and the messages the robots send; Chinese in <c>AlertsStrings.zh-CN.resx</c>.</summary>
public sealed class AlertsStrings;
