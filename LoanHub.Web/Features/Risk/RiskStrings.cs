namespace LoanHub.Web.Features.Risk;

/// <summary>
/// The words of the risk policy page, its backtest results and its save dialog, and of the messages its service returns; the
/// Chinese is in <c>RiskStrings.zh-CN.resx</c>, keyed by the English (ADR 0014).
/// </summary>
public sealed class RiskStrings;
