namespace LoanHub.Web.Features.Audit;

/// <summary>The audit log's words, its areas and actions among them; the Chinese is in <c>AuditStrings.zh-CN.resx</c>, keyed by the English (ADR 0014).</summary>
public sealed class AuditStrings;
