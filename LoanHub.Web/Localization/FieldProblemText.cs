using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Localization;

/// <summary>
/// What is wrong with a value, as the rules word it after the field's name — why a URL may not be called
/// (<see cref="Core.Delivery.EndpointRules.Problem"/>: "points at an internal address (10.0.0.7); …"), why text, an
/// amount or a count is refused (<see cref="Core.Domain.InputRules"/>), why a configuration entry is (the configuration
/// rules) — in the reader's language: a lender's URLs, an alert robot's webhook, a configuration import. A problem of
/// another shape is shown as the rules wrote it.
/// </summary>
public static class FieldProblemText
{
    private static readonly StoredSentence[] Shapes =
    [
        new("is required"),
        new("is empty"),
        new("must be at most {0} characters"),
        new("must be between {0} and {1}"),
        new("must have at most two decimal places"),
        new("must be well-formed Unicode text"),
        new("must not contain control characters"),
        new("must not contain bidirectional control characters"),
        new("may have at most {0} entries"),
        new("must be at most 256 printable ASCII characters without spaces"),
        new("must be one of {0}"),
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
