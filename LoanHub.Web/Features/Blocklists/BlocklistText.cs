using LoanHub.Core.Engine;
using MudBlazor;

namespace LoanHub.Web.Features.Blocklists;

/// <summary>The words and colours of the blocklist, in one place for the page, the dialogs and the review case.</summary>
public static class BlocklistText
{
    /// <summary>"National ID", "Phone", "Device": the same words the ring view uses for its links.</summary>
    public static string KindLabel(LinkKind kind) => Review.ReviewText.LinkLabel(kind);

    public static string StateLabel(BlockState state) => state switch
    {
        BlockState.Active => "Active",
        BlockState.Expired => "Expired",
        _ => "Lifted",
    };

    public static Color StateColor(BlockState state) => state switch
    {
        BlockState.Active => Color.Error,
        BlockState.Expired => Color.Default,
        _ => Color.Success,
    };
}
