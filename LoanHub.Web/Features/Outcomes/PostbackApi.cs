using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Security;

namespace LoanHub.Web.Features.Outcomes;

/// <summary>The lenders' API: report what became of a lead. Authenticated by the lender's API key.</summary>
public static class PostbackApi
{
    public const int MaxBodyBytes = 8 * 1024;

    /// <summary>No lead LoanHub handed out is older than this; an earlier time is a mistake in the lender's report.</summary>
    public static readonly DateTimeOffset EarliestOccurredAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapPostbackApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/postbacks", PostAsync)
            .AllowAnonymous() // the lender's API key is the credential here, not the console's cookie
            .RequireLenderKey()
            .LimitBody(MaxBodyBytes, "A postback body")
            .WithTags("Postbacks")
            .WithName("PostOutcome")
            .WithSummary("Report an outcome of a delivered lead")
            .WithDescription("Approved or Declined for a routed lead, Funded (with fundedAmount) for an approved one; occurredAt not before the delivery. Idempotent per eventId.")
            .Accepts<PostbackRequest>("application/json")
            .Produces<PostbackResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return endpoints;
    }

    private static async Task<IResult> PostAsync(HttpContext http, PostbackService postbacks, CancellationToken cancellationToken)
    {
        var lender = ApiCaller<LenderId>.Of(http);
        PostbackRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<PostbackRequest>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body"] = [e.Message] },
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "The body is not a valid postback");
        }
        if (request is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["is required"] }, statusCode: StatusCodes.Status422UnprocessableEntity);

        request = request with { EventId = InputRules.Normalized(request.EventId), Outcome = InputRules.Normalized(request.Outcome) };
        var invalid = Validate(request);
        if (invalid.Count > 0)
            return Results.ValidationProblem(invalid, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The postback has invalid fields");

        var result = await postbacks.ApplyAsync(lender, request, cancellationToken);
        return result.Disposition switch
        {
            PostbackDisposition.Accepted or PostbackDisposition.Replayed => Results.Ok(result.Response),
            PostbackDisposition.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Problem),
            PostbackDisposition.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Problem),
            _ => Results.ValidationProblem(result.Errors!, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The postback has invalid fields"),
        };
    }

    /// <summary>What the wire may carry at all; the service checks the postback against the lead it reports on.</summary>
    private static Dictionary<string, string[]> Validate(PostbackRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.EventId is { } eventId && InputRules.ProblemWith(eventId) is { } eventProblem) errors["eventId"] = [eventProblem];
        if (request.Outcome is { } outcome && InputRules.ProblemWith(outcome) is { } outcomeProblem) errors["outcome"] = [outcomeProblem];
        if (request.FundedAmount is { } funded && InputRules.MoneyProblem(funded, 0m) is { } fundedProblem) errors["fundedAmount"] = [fundedProblem];
        if (request.OccurredAt < EarliestOccurredAt) errors["occurredAt"] = [$"cannot be before {EarliestOccurredAt:yyyy-MM-dd}"];
        return errors;
    }
}
