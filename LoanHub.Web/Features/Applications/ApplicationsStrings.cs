namespace LoanHub.Web.Features.Applications;

/// <summary>The applications pages' words; the Chinese is in <c>ApplicationsStrings.zh-CN.resx</c>, keyed by the English (ADR 0014).</summary>
public sealed class ApplicationsStrings;
