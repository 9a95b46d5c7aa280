using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Outcomes;

/// <summary>The lenders' API: report what became of a lead. Authenticated by the lender's API key.</summary>
public static class PostbackApi
{
    public static IEndpointRouteBuilder MapPostbackApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/postbacks", PostAsync)
            .AllowAnonymous() // the lender's API key, checked in the handler, is the credential here
            .RequireRateLimiting(IntakeApi.RateLimitPolicy)
            .WithTags("Postbacks")
            .WithName("PostOutcome")
            .WithSummary("Report an outcome of a delivered lead")
            .WithDescription("Approved or Declined for a routed lead, Funded (with fundedAmount) for an approved one; occurredAt not before the delivery. Idempotent per eventId.")
            .Accepts<PostbackRequest>("application/json")
            .Produces<PostbackResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return endpoints;
    }

    private static async Task<IResult> PostAsync(HttpContext http, PostbackService postbacks, IDbContextFactory<LoanHubDbContext> contexts, CancellationToken cancellationToken)
    {
        var lender = await LenderKeys.FindAsync(http, contexts, cancellationToken);
        if (lender is null) return LenderKeys.Unauthorized();

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

        var result = await postbacks.ApplyAsync(lender.Value, request, cancellationToken);
        return result.Disposition switch
        {
            PostbackDisposition.Accepted or PostbackDisposition.Replayed => Results.Ok(result.Response),
            PostbackDisposition.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Problem),
            PostbackDisposition.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Problem),
            _ => Results.ValidationProblem(result.Errors!, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The postback has invalid fields"),
        };
    }
}
