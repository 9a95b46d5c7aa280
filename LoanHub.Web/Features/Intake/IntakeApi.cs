using System.Globalization;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Intake;

public sealed record IntakeResponse(Guid ApplicationId, string Status, RoutedTo? RoutedTo);

public sealed record ApplicationStatusResponse(Guid ApplicationId, string ExternalRef, string Status, RoutedTo? RoutedTo, DateTimeOffset ReceivedAt);

/// <summary>
/// The traffic sources' API: post an applicant, read its status. Authenticated by the source's API key
/// (<c>X-Api-Key</c>), not by the console's cookie.
/// </summary>
public static class IntakeApi
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/applications")
            .AllowAnonymous() // the source's API key is the credential here, not the console's cookie
            .RequireSourceKey()
            .WithTags("Intake");

        api.MapPost("/", PostAsync)
            .LimitBody(MaxBodyBytes, "An application body")
            .WithName("PostApplication")
            .WithSummary("Submit one loan applicant")
            .WithDescription("Validates, scores, checks for fraud, and routes the applicant. Idempotent per source and externalRef.")
            .Accepts<IntakeRequest>("application/json")
            .Produces<IntakeResponse>(StatusCodes.Status201Created)
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/{id:guid}", GetAsync)
            .WithName("GetApplication")
            .WithSummary("Current status of an applicant this source posted")
            .Produces<ApplicationStatusResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> PostAsync(HttpContext http, EngineHost engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var source = ApiCaller<SourceId>.Of(http);
        IntakeRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<IntakeRequest>(http.Request.Body, JsonOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body"] = [e.Message] },
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "The body is not a valid application");
        }
        if (request is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["is required"] }, statusCode: StatusCodes.Status422UnprocessableEntity);

        var errors = IntakeValidator.Validate(request, out var valid);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The application has invalid fields");

        IntakeOutcome outcome;
        try
        {
            outcome = await engine.SubmitAsync(new IntakeCommand(source, valid!, request.ContentHash(), clock.GetUtcNow()), cancellationToken);
        }
        catch (WriterBusyException busy)
        {
            http.Response.Headers.RetryAfter = ((int)WriterBusyException.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many applications waiting", detail: busy.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The writer failed this application (its state could not be loaded, or it could not be stored) and logged
            // why; the source gets an answer of its own, in the API's shape, not the console's error page.
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The application could not be decided",
                detail: $"Send it again with the same externalRef '{valid!.ExternalRef}': the answer then says whether and how it was stored.");
        }
        var body = new IntakeResponse(outcome.ApplicationId.Value, outcome.Status.ToString(), outcome.RoutedTo);
        return outcome.Disposition switch
        {
            IntakeDisposition.Created => Results.Json(body, statusCode: StatusCodes.Status201Created),
            IntakeDisposition.Replayed => Results.Json(body, statusCode: StatusCodes.Status200OK),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Different application under the same externalRef",
                detail: $"externalRef '{valid!.ExternalRef}' was already used by this source for application {outcome.ApplicationId} with a different body."),
        };
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, IDbContextFactory<LoanHubDbContext> contexts, CancellationToken cancellationToken)
    {
        var source = ApiCaller<SourceId>.Of(http);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applicationId = new ApplicationId(id);
        var found = await db.Applications.AsNoTracking()
            .Where(a => a.Id == applicationId && a.SourceId == source)
            .Select(a => new { a.Id, a.ExternalRef, a.Status, a.ReceivedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This source has no application with that id.");

        RoutedTo? routedTo = null;
        if (found.Status == ApplicationStatus.Routed)
        {
            routedTo = await (from allocation in db.Allocations
                              join product in db.Products on allocation.ProductId equals product.Id
                              join lender in db.Lenders on allocation.LenderId equals lender.Id
                              where allocation.ApplicationId == applicationId
                              select new RoutedTo(lender.Code, product.Code)).FirstOrDefaultAsync(cancellationToken);
        }
        return Results.Ok(new ApplicationStatusResponse(found.Id.Value, found.ExternalRef, found.Status.ToString(), routedTo, found.ReceivedAt));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
