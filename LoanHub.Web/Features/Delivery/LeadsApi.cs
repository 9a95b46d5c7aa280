using System.Globalization;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using LoanHub.Web.Features.Outcomes;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Delivery;

/// <summary>The page of leads a pull lender reads; <c>next</c> goes into <c>after</c> of the following call.</summary>
public sealed record LeadsPage(IReadOnlyList<PostRequest> Leads, string? Next);

/// <summary>
/// Pull lenders — lenders without a delivery endpoint — fetch the leads allocated to them, oldest first, with their
/// API key. A lead is in the feed once its allocation is committed; the cursor is its feed position, strictly
/// increasing in commit order, so a lender that pages with <c>next</c> sees every lead exactly once.
/// </summary>
public static class LeadsApi
{
    public const int MaxLimit = 500;
    /// <summary>A read carries its parameters in the query: no body worth reading.</summary>
    public const int MaxBodyBytes = 1024;

    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/leads", GetAsync)
            .AllowAnonymous() // the lender's API key is the credential here, not the console's cookie
            .RequireLenderKey()
            .LimitBody(MaxBodyBytes, "A leads request")
            .WithTags("Leads")
            .WithName("GetLeads")
            .WithSummary("Leads allocated to a pull lender, oldest first")
            .WithDescription("Pass the answer's next as after to read on. Each lead has the body a push lender is posted.")
            .Produces<LeadsPage>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string? after, string? limit, IDbContextFactory<LoanHubDbContext> contexts, CancellationToken cancellationToken)
    {
        var lenderId = ApiCaller<LenderId>.Of(http);

        var errors = new Dictionary<string, string[]>();
        long cursor = 0;
        // The parser takes "5\0" for 5: text with control characters is refused before it is read as a number.
        if (!string.IsNullOrEmpty(after) && (InputRules.ProblemWith(after) is not null || !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out cursor) || cursor < 0))
            errors["after"] = ["must be the next value of an earlier answer"];
        var take = 100;
        if (!string.IsNullOrEmpty(limit) && (InputRules.ProblemWith(limit) is not null || !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
            errors["limit"] = [$"must be 1–{MaxLimit}"];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid paging");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from allocation in db.Allocations.AsNoTracking()
                          where allocation.LenderId == lenderId && allocation.DeliveryId == null && allocation.FeedSequence > cursor
                          join application in db.Applications.AsNoTracking() on allocation.ApplicationId equals application.Id
                          where application.Consent.ShareWithLenders
                          join assessment in db.Assessments.AsNoTracking() on application.Id equals assessment.ApplicationId
                          join product in db.Products.AsNoTracking() on allocation.ProductId equals product.Id
                          orderby allocation.FeedSequence
                          select new { allocation.Id, allocation.FeedSequence, application, assessment.DecisionRecordJson, ProductCode = product.Code })
            .Take(take).ToListAsync(cancellationToken);

        var leads = rows.Select(r => LeadPayloads.Post(r.Id.ToString(), r.application.Id, r.ProductCode, r.application.Applicant,
            r.application.Consent, r.application.ReceivedAt, DecisionRecord.FromJson(r.DecisionRecordJson))).ToList();
        var next = rows.Count > 0 ? rows[^1].FeedSequence : cursor;
        return Results.Json(new LeadsPage(leads, next.ToString(CultureInfo.InvariantCulture)), LeadContract.JsonOptions);
    }
}
