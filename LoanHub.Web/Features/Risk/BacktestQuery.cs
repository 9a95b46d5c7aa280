using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Risk;

/// <summary>The stored applicants a backtest replays, read as a stream in arrival order.</summary>
internal static class BacktestQuery
{
    /// <summary>
    /// What a backtest needs of each applicant received in [<paramref name="start"/>, <paramref name="end"/>) and nothing more: no name,
    /// ID or phone to decrypt, no entity tracked; the keyed hashes only when <paramref name="withHashes"/> (a replay of the fraud
    /// history). Enumerate it once, off the circuit's thread: the rows are read as they are counted, never all held.
    /// </summary>
    public static IEnumerable<BacktestApplicant> Applicants(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end, bool withHashes) =>
        from application in db.Applications.AsNoTracking()
        join assessment in db.Assessments.AsNoTracking() on application.Id equals assessment.ApplicationId
        where application.ReceivedAt >= start && application.ReceivedAt < end
        orderby application.ReceivedAt
        select new BacktestApplicant(application.Id, application.SourceId, application.ReceivedAt,
            withHashes ? application.IdentityHash : "", withHashes ? application.PhoneHash : "",
            withHashes ? application.DeviceHash : "", withHashes ? application.IpHash : "",
            application.Applicant.MonthlyIncome, application.Applicant.RequestedAmount,
            assessment.Score, assessment.Tier, assessment.Decision, assessment.Signals,
            application.Status == ApplicationStatus.Routed, application.DecidedAt);
}
