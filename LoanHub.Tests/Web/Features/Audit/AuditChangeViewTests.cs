using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Audit;

namespace LoanHub.Tests.Web.Features.Audit;

public class AuditChangeViewTests : ComponentTestContext
{
    [Fact]
    public void Changed_added_and_removed_fields_are_marked_and_unchanged_ones_are_not()
    {
        var view = Render<AuditChangeView>(p => p
            .Add(v => v.Before, """{ "name": "Cash loan", "weight": 50, "provinces": ["11", "31"], "note": "old" }""")
            .Add(v => v.After, """{ "name": "Cash loan", "weight": 70, "provinces": ["11", "31", "44"], "paused": true }"""));

        var lines = view.FindAll("[data-testid=diff-line]").ToDictionary(r => r.QuerySelector("strong")!.TextContent, r => r.GetAttribute("data-kind"));
        Assert.Equal("Unchanged", lines["name"]);
        Assert.Equal("Changed", lines["weight"]);
        Assert.Equal("Changed", lines["provinces"]);
        Assert.Equal("Removed", lines["note"]);
        Assert.Equal("Added", lines["paused"]);
        var weight = view.FindAll("[data-testid=diff-line]").Single(r => r.QuerySelector("strong")!.TextContent == "weight");
        Assert.Equal(["50", "70"], weight.QuerySelectorAll("pre").Select(p => p.TextContent));
    }

    [Fact]
    public void Entry_without_details_says_so()
    {
        var view = Render<AuditChangeView>(p => p.Add(v => v.Before, null).Add(v => v.After, null));

        Assert.Contains("No details were recorded", view.Markup);
        Assert.Empty(view.FindAll("[data-testid=diff-line]"));
    }

    [Fact]
    public void In_chinese_the_headings_and_marks_are_chinese_and_the_fields_stay_the_records_own()
    {
        InLanguage("zh-CN");
        var view = Render<AuditChangeView>(p => p.Add(v => v.Before, """{ "weight": 50 }""").Add(v => v.After, """{ "weight": 70, "paused": true }"""));

        Assert.Equal(["字段", "变更前", "变更后"], view.FindAll("thead th").Select(th => th.TextContent));
        var marks = view.FindAll("[data-testid=diff-line] .mud-chip").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["修改", "新增"], marks);
        Assert.Contains(view.FindAll("[data-testid=diff-line] strong"), s => s.TextContent == "weight");
    }
}
