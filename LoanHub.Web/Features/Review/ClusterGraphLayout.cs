using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Review;

public sealed record GraphNode(ClusterNode Node, double X, double Y);

/// <summary>A key shared by three or more applications, drawn as a labelled hub instead of a tangle of edges.</summary>
public sealed record GraphHub(LinkKind Kind, double X, double Y, int Members);

public sealed record GraphEdge(LinkKind Kind, double X1, double Y1, double X2, double Y2);

/// <param name="Text">The English names of the kinds; the graph words them in the reader's language.</param>
public sealed record GraphLabel(string Text, IReadOnlyList<LinkKind> Kinds, double X, double Y);

/// <summary>
/// Places a ring's applications on a circle (earliest at the top, clockwise). A key two applications share
/// is a direct edge labelled with its kind; a key shared by more is a hub at the centre of its members,
/// so a device used by six identities reads as one star rather than fifteen crossing lines.
/// </summary>
public sealed record ClusterGraphLayout(
    double Width,
    double Height,
    IReadOnlyList<GraphNode> Nodes,
    IReadOnlyList<GraphHub> Hubs,
    IReadOnlyList<GraphEdge> Edges,
    IReadOnlyList<GraphLabel> Labels)
{
    public const double NodeWidth = 128;
    public const double NodeHeight = 44;
    private const double Margin = 16;
    private const double ParallelGap = 6;
    private const double HubSpacing = 30;

    /// <summary>
    /// About how wide <paramref name="text"/> sets at <paramref name="perCharacter"/> pixels a Latin character: a Chinese
    /// character takes nearly twice the room, so a pill sized by the character count alone would clip it.
    /// </summary>
    public static double TextWidth(string text, double perCharacter) => text.Sum(c => c >= '\u2E80' ? 1.8 : 1.0) * perCharacter;

    public static ClusterGraphLayout Of(ClusterView cluster)
    {
        var count = cluster.Nodes.Count;
        var radius = count switch { <= 1 => 0, 2 => 110, _ => Math.Min(90 + 18 * count, 320) };
        var width = 2 * radius + NodeWidth + 2 * Margin;
        // An odd ring leaves the bottom of the circle empty: the canvas ends below the lowest node.
        var lowest = Enumerable.Range(0, Math.Max(1, count)).Max(i => Math.Sin(-Math.PI / 2 + 2 * Math.PI * i / Math.Max(1, count)));
        var height = radius * (1 + lowest) + NodeHeight + 2 * Margin;
        double cx = width / 2, cy = Margin + NodeHeight / 2 + radius;

        var nodes = cluster.Nodes.Select((node, i) =>
        {
            var angle = -Math.PI / 2 + 2 * Math.PI * i / Math.Max(1, count);
            return new GraphNode(node, cx + radius * Math.Cos(angle), cy + radius * Math.Sin(angle));
        }).ToList();
        var at = nodes.ToDictionary(n => n.Node.ApplicationId);

        var edges = new List<GraphEdge>();
        var labels = new List<GraphLabel>();
        var hubs = new List<GraphHub>();

        var pairs = cluster.Links
            .Where(l => l.Applications.Count == 2 && l.Applications.All(at.ContainsKey))
            .GroupBy(l => Pair(l.Applications[0], l.Applications[1]));
        foreach (var pair in pairs)
        {
            var kinds = pair.Select(l => l.Kind).Distinct().Order().ToList();
            var (a, b) = (at[pair.First().Applications[0]], at[pair.First().Applications[1]]);
            var (dx, dy) = (b.X - a.X, b.Y - a.Y);
            var length = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
            var (px, py) = (-dy / length, dx / length);
            for (var k = 0; k < kinds.Count; k++)
            {
                var offset = (k - (kinds.Count - 1) / 2.0) * ParallelGap;
                edges.Add(new GraphEdge(kinds[k], a.X + px * offset, a.Y + py * offset, b.X + px * offset, b.Y + py * offset));
            }
            labels.Add(new GraphLabel(string.Join(" · ", kinds.Select(ReviewText.LinkLabel)), kinds, (a.X + b.X) / 2, (a.Y + b.Y) / 2));
        }

        foreach (var link in cluster.Links.Where(l => l.Applications.Count > 2))
        {
            var members = link.Applications.Where(at.ContainsKey).Select(id => at[id]).ToList();
            if (members.Count == 0) continue;
            var (x, y) = (members.Average(m => m.X), members.Average(m => m.Y));
            // Hubs over the same members would sit on one another: step each later one down.
            while (hubs.Any(h => Math.Abs(h.X - x) < 60 && Math.Abs(h.Y - y) < HubSpacing)) y += HubSpacing;
            hubs.Add(new GraphHub(link.Kind, x, y, members.Count));
            edges.AddRange(members.Select(m => new GraphEdge(link.Kind, x, y, m.X, m.Y)));
        }

        return new ClusterGraphLayout(width, height, nodes, hubs, edges, labels);
    }

    private static (Guid, Guid) Pair(Core.Domain.ApplicationId a, Core.Domain.ApplicationId b) =>
        a.Value.CompareTo(b.Value) <= 0 ? (a.Value, b.Value) : (b.Value, a.Value);
}
