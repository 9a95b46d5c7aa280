namespace LoanHub.Web.Features.Blocklists;

/// <summary>The blocklist's words, and <see cref="BlocklistService"/>'s refusals (English keys the page translates); Chinese in <c>BlocklistStrings.zh-CN.resx</c>.</summary>
public sealed class BlocklistStrings;
