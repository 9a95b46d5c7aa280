namespace LoanHub.Web.Features.Routing;

/// <summary>
/// The words of the routing page, its tabs and its dialog; the Chinese is in <c>RoutingStrings.zh-CN.resx</c>, keyed by the
/// English (ADR 0014).
/// </summary>
public sealed class RoutingStrings;
