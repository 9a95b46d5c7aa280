namespace LoanHub.Web.Features.Sources;

/// <summary>The traffic sources page's words; the Chinese is in <c>SourcesStrings.zh-CN.resx</c>, keyed by the English (ADR 0014).</summary>
public sealed class SourcesStrings;
