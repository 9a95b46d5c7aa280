using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
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
    internal const string RateLimitPolicy = "per-source";

    public static IServiceCollection AddIntakeRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("LoanHub:Intake:PermitsPerSecondPerSource", 1000);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context =>
                RateLimitPartition.GetTokenBucketLimiter(
                    context.Request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } key ? ApiKeys.Hash(key) : "anonymous",
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = permits,
                        TokensPerPeriod = permits,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"This source is limited to {permits} requests per second; retry after {retryAfter} s.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/applications")
            .AllowAnonymous() // the API key, checked in each handler, is the credential here
            .RequireRateLimiting(RateLimitPolicy)
            .WithTags("Intake");

        api.MapPost("/", PostAsync)
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

    private static async Task<IResult> PostAsync(HttpContext http, EngineHost engine, SourceKeys sourceKeys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var source = await sourceKeys.FindAsync(http.Request.Headers[ApiKeyHeader].ToString(), cancellationToken);
        if (source is null) return Unauthorized();

        if (http.Request.ContentLength > MaxBodyBytes) return TooLarge();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;

        IntakeRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<IntakeRequest>(http.Request.Body, JsonOptions, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
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
            outcome = await engine.SubmitAsync(new IntakeCommand(source.Value, valid!, request.ContentHash(), clock.GetUtcNow()), cancellationToken);
        }
        catch (WriterBusyException busy)
        {
            http.Response.Headers.RetryAfter = ((int)WriterBusyException.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many applications waiting", detail: busy.Message);
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

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, SourceKeys sourceKeys, IDbContextFactory<LoanHubDbContext> contexts, CancellationToken cancellationToken)
    {
        var source = await sourceKeys.FindAsync(http.Request.Headers[ApiKeyHeader].ToString(), cancellationToken);
        if (source is null) return Unauthorized();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applicationId = new ApplicationId(id);
        var found = await db.Applications.AsNoTracking()
            .Where(a => a.Id == applicationId && a.SourceId == source.Value)
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

    private static ProblemHttpResult Unauthorized() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
        title: "Unauthorized", detail: $"A valid traffic source API key is required in the {ApiKeyHeader} header.");

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Payload too large", detail: $"An application body may be at most {MaxBodyBytes / 1024} KiB.");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
