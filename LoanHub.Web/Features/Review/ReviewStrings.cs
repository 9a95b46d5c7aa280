namespace LoanHub.Web.Features.Review;

/// <summary>The review queue's and review case's words; the Chinese is in <c>ReviewStrings.zh-CN.resx</c>, keyed by the English (ADR 0014).</summary>
public sealed class ReviewStrings;
