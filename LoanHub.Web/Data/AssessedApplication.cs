using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

/// <summary>
/// An application joined with its assessment, for queries that go on to filter and project both (the what-if, the
/// backtest): a member-initialised type, which EF Core can keep composing on, unlike a constructor's parameters.
/// </summary>
internal sealed class AssessedApplication
{
    public required LoanApplication Application { get; init; }
    public required RiskAssessment Assessment { get; init; }

    /// <summary>The applications received in [<paramref name="start"/>, <paramref name="end"/>) with their assessments, untracked.</summary>
    public static IQueryable<AssessedApplication> ReceivedIn(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end) =>
        from application in db.Applications.AsNoTracking()
        join assessment in db.Assessments.AsNoTracking() on application.Id equals assessment.ApplicationId
        where application.ReceivedAt >= start && application.ReceivedAt < end
        select new AssessedApplication { Application = application, Assessment = assessment };
}
