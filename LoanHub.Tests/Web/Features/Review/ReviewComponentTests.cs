using Bunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Review;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Review;

public class ClusterGraphTests : ComponentTestContext
{
    private static ClusterView Ring(int members, params (LinkKind Kind, int[] Members)[] links)
    {
        var ids = Enumerable.Range(0, members).Select(_ => ApplicationId.New()).ToList();
        var nodes = ids.Select((id, i) => new ClusterNode(id, $"王{new string('*', i % 3 + 1)}",
            i < 2 ? ApplicationStatus.Routed : ApplicationStatus.InReview, i < 2 ? null : Guid.NewGuid(),
            i < 2 ? null : ReviewStatus.Open, null, IsCurrent: i == members - 1)).ToList();
        return new ClusterView(ids[0].Value, members, nodes,
            [.. links.Select(l => new ClusterEdge(l.Kind, [.. l.Members.Select(m => ids[m])]))]);
    }

    [Fact]
    public void Shared_device_of_many_is_one_hub_and_a_pair_is_a_labelled_edge()
    {
        var cluster = Ring(5, (LinkKind.Device, [0, 1, 2, 3]), (LinkKind.Phone, [3, 4]));

        var graph = Render<ClusterGraph>(p => p.Add(g => g.Cluster, cluster));

        Assert.Equal(5, graph.FindAll("a.graph-node").Count);
        var hub = Assert.Single(graph.FindAll("g.graph-hub"));
        Assert.Contains("Device ×4", hub.TextContent);
        Assert.Equal(4, graph.FindAll("line.graph-edge[data-kind=Device]").Count);
        Assert.Single(graph.FindAll("line.graph-edge[data-kind=Phone]"));
        Assert.Equal("Phone", Assert.Single(graph.FindAll("g.graph-label")).TextContent.Trim());
    }

    [Fact]
    public void Nodes_show_masked_names_and_status_and_link_to_the_other_members_cases_only()
    {
        var cluster = Ring(4, (LinkKind.Device, [0, 1, 2, 3]));

        var graph = Render<ClusterGraph>(p => p.Add(g => g.Cluster, cluster));

        var nodes = graph.FindAll("a.graph-node");
        Assert.Contains("王*", nodes[0].TextContent);
        Assert.Contains("Routed", nodes[0].TextContent);
        Assert.Null(nodes[0].GetAttribute("href")); // routed before the ring formed: no case to open
        Assert.Contains("In review", nodes[2].TextContent);
        Assert.Equal($"review/{cluster.Nodes[2].CaseId}", nodes[2].GetAttribute("href"));
        Assert.Null(nodes[3].GetAttribute("href")); // the case on screen
        Assert.Equal("true", nodes[3].GetAttribute("data-current"));
        Assert.Contains("(this case)", nodes[3].TextContent);
    }

    [Fact]
    public void In_chinese_the_hubs_labels_legend_and_statuses_are_chinese()
    {
        InLanguage("zh-CN");
        var cluster = Ring(5, (LinkKind.Device, [0, 1, 2, 3]), (LinkKind.Phone, [3, 4]));

        var graph = Render<ClusterGraph>(p => p.Add(g => g.Cluster, cluster));

        Assert.Contains("设备 ×4", graph.Find("g.graph-hub").TextContent);
        Assert.Equal("手机号", graph.Find("g.graph-label").TextContent.Trim());
        Assert.Contains("共用设备", graph.Markup);
        Assert.Contains("已分发", graph.FindAll("a.graph-node")[0].TextContent);
        Assert.Contains("（本案）", graph.FindAll("a.graph-node")[4].TextContent);
        Assert.StartsWith("团伙共 5 笔进件", graph.Find("svg").GetAttribute("aria-label"));
    }

    [Fact]
    public void Two_kinds_linking_the_same_pair_share_one_label_and_run_side_by_side()
    {
        var cluster = Ring(3, (LinkKind.Phone, [0, 1]), (LinkKind.Device, [0, 1]), (LinkKind.NationalId, [1, 2]));

        var layout = ClusterGraphLayout.Of(cluster);

        Assert.Contains(layout.Labels, l => l.Text == "Phone · Device");
        var pair = layout.Edges.Where(e => e.Kind is LinkKind.Phone or LinkKind.Device).ToList();
        Assert.Equal(2, pair.Count);
        Assert.NotEqual((pair[0].X1, pair[0].Y1), (pair[1].X1, pair[1].Y1));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(10)]
    public void Nodes_never_overlap_for_rings_of_three_to_ten(int members)
    {
        var layout = ClusterGraphLayout.Of(Ring(members, (LinkKind.Device, [.. Enumerable.Range(0, members)])));

        foreach (var a in layout.Nodes)
        foreach (var b in layout.Nodes.Where(b => b != a))
        {
            var apart = Math.Abs(a.X - b.X) >= ClusterGraphLayout.NodeWidth || Math.Abs(a.Y - b.Y) >= ClusterGraphLayout.NodeHeight;
            Assert.True(apart, $"{a.Node.MaskedName} and {b.Node.MaskedName} overlap");
        }
        Assert.All(layout.Nodes, n => Assert.InRange(n.X - ClusterGraphLayout.NodeWidth / 2, 0, layout.Width - ClusterGraphLayout.NodeWidth));
    }
}

public class DecideDialogTests : ComponentTestContext
{
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync(bool approve, int ringOpenCases)
    {
        SignInAs("alice@review.test", Roles.ComplianceReviewer);
        RenderPopoverProvider();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<DecideDialog>("Decide", new DialogParameters<DecideDialog>
        {
            { d => d.Approve, approve },
            { d => d.CaseLabel, "the case of 王*" },
            { d => d.RingOpenCases, ringOpenCases },
        }));
        return (provider, reference!);
    }

    [Fact]
    public async Task Confirming_without_a_note_shows_the_validation_message_and_keeps_the_dialog_open()
    {
        var (provider, dialog) = await OpenAsync(approve: true, ringOpenCases: 0);

        await provider.Find("button.mud-button-filled").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Contains("Write a note that explains the decision.", provider.Markup));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Whole_ring_option_appears_for_a_ring_and_is_returned_with_the_note()
    {
        var (provider, dialog) = await OpenAsync(approve: false, ringOpenCases: 3);

        provider.Find("#decision-note").Change("Synthetic identities");
        provider.Find("input[type=checkbox]").Change(true);
        provider.WaitForAssertion(() => Assert.Contains("Reject 3 cases", provider.Find("button.mud-button-filled").TextContent));
        await provider.Find("button.mud-button-filled").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new DecisionInput("Synthetic identities", true), result!.Data);
    }

    [Fact]
    public async Task Single_case_hides_the_whole_ring_option()
    {
        var (provider, _) = await OpenAsync(approve: true, ringOpenCases: 1);

        Assert.Empty(provider.FindAll("input[type=checkbox]"));
        Assert.Contains("Approving releases the applicant to routing now", provider.Markup);
    }
}
