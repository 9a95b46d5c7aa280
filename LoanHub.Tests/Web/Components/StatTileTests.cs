using LoanHub.Web.Components.Layout;

using Bunit;

namespace LoanHub.Tests.Web.Components;

public class StatTileTests : ComponentTestContext
{
    [Fact]
    public void Tile_shows_title_value_and_detail()
    {
        var tile = Render<StatTile>(p => p
            .Add(t => t.Title, "Review backlog")
            .Add(t => t.Value, "12")
            .Add(t => t.Detail, "oldest waiting 3 h")
            .Add(t => t.TestId, "tile-review"));

        var paper = tile.Find("[data-testid=tile-review]");
        Assert.Contains("Review backlog", paper.TextContent);
        Assert.Contains("12", paper.TextContent);
        Assert.Contains("oldest waiting 3 h", paper.TextContent);
    }
}
