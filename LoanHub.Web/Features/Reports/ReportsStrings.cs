namespace LoanHub.Web.Features.Reports;

/// <summary>The reports page's and the commission workbook's words; Chinese in <c>ReportsStrings.zh-CN.resx</c> (ADR 0014).</summary>
public sealed class ReportsStrings;
