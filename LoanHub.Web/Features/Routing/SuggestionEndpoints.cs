using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Routing;

/// <summary>The body of <c>GET /routing/suggestion.json</c>; the names are a contract with analysts.</summary>
public sealed record SuggestionDocument(string Objective, IReadOnlyList<SuggestionWeight> Weights, SuggestionExpected Expected);

/// <summary>One product's weight in the active policy and as suggested.</summary>
public sealed record SuggestionWeight(string Lender, string Product, int Current, int Suggested);

/// <summary>What the model expects over the window of today's weights and of the suggested ones.</summary>
public sealed record SuggestionExpected(SuggestionFigures Current, SuggestionFigures Suggested);

/// <summary>Expected commission (CNY) and expected approvals.</summary>
public sealed record SuggestionFigures(decimal Commission, double Approvals);

public static class SuggestionEndpoints
{
    public const string Path = "/routing/suggestion.json";

    /// <summary>The query's objective names, as the contract spells them.</summary>
    public static string NameOf(SuggestionObjective objective) => objective == SuggestionObjective.Approvals ? "approvals" : "commission";

    public static bool TryParse(string? text, out SuggestionObjective objective)
    {
        objective = SuggestionObjective.Commission;
        foreach (var candidate in Enum.GetValues<SuggestionObjective>())
        {
            if (!string.Equals(text, NameOf(candidate), StringComparison.OrdinalIgnoreCase)) continue;
            objective = candidate;
            return true;
        }
        return false;
    }

    public static IEndpointRouteBuilder MapSuggestionEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed-in users only; the service checks the routing-read policy so a signed-in user without the role gets a plain 403.
        app.MapGet(Path, GetAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, WeightSuggestionService suggestions, CancellationToken cancellationToken)
    {
        var objective = SuggestionObjective.Commission;
        if (http.Request.Query.TryGetValue("objective", out var asked) && (asked.Count != 1 || !TryParse(asked[0], out objective)))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown objective",
                detail: $"objective must be {NameOf(SuggestionObjective.Commission)} (the default) or {NameOf(SuggestionObjective.Approvals)}.");
        var outcome = await suggestions.SuggestAsync(objective, http.User, cancellationToken);
        if (outcome.Forbidden) return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: outcome.Unavailable);
        if (outcome.Suggestion is not { } s)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No suggestion", detail: outcome.Unavailable);
        return Results.Json(new SuggestionDocument(NameOf(s.Objective),
            [.. s.Weights.Select(w => new SuggestionWeight(w.LenderCode, w.ProductCode, w.Current, w.Suggested))],
            new SuggestionExpected(Figures(s.Current), Figures(s.Suggested))), System.Text.Json.JsonSerializerOptions.Web);
    }

    private static SuggestionFigures Figures(WeightForecast forecast) => new(forecast.Commission, forecast.Approvals);
}
