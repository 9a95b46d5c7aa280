using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Localization;

/// <summary>
/// Why a URL may not be called (<see cref="Core.Delivery.EndpointRules.Problem"/>: "is required", "points at an
/// internal address (10.0.0.7); …"), in the reader's language, for every form that takes one: a lender's pre-check and
/// post URLs, an alert robot's webhook. A problem of another shape is shown as the rules wrote it.
/// </summary>
public static class UrlProblemText
{
    private static readonly StoredSentence[] Shapes =
    [
        new("is required"),
        new("must be at most 500 characters"),
        new("must be an absolute https URL"),
        new("must not carry a user name or password"),
        new("must not have a fragment"),
        new("must use https (plain http only on 127.0.0.1, localhost or [::1])"),
        new("points at an internal address ({0}); private and link-local endpoints are not allowed"),
        new("points at an internal host name ({0})"),
    ];

    /// <summary>The shapes, which are resource keys of <see cref="ConsoleStrings"/>.</summary>
    public static IEnumerable<string> Keys => Shapes.Select(s => s.Key);

    public static string Words(IStringLocalizer<ConsoleStrings> T, string problem)
    {
        foreach (var shape in Shapes)
            if (shape.TryRead(problem, out var values)) return T[shape.Key, values];
        return problem;
    }
}
