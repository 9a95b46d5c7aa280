using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Risk;

/// <summary>The stored applicants a backtest replays, read as a stream in arrival order.</summary>
internal static class BacktestQuery
{
    /// <summary>
    /// How many hex digits of each keyed hash the replay links on: 64 bits, so that a million applicants' keys (three million
    /// strings held by the fraud index) take a third of the memory, while two different keys share a prefix with a chance of
    /// about one in a million even among ten million keys.
    /// </summary>
    public const int KeyLength = 16;

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
            withHashes ? application.IdentityHash.Substring(0, KeyLength) : "", withHashes ? application.PhoneHash.Substring(0, KeyLength) : "",
            withHashes ? application.DeviceHash.Substring(0, KeyLength) : "", withHashes ? application.IpHash.Substring(0, KeyLength) : "",
            application.Applicant.MonthlyIncome, application.Applicant.RequestedAmount,
            assessment.Score, assessment.Tier, assessment.Decision, assessment.Signals,
            application.Status == ApplicationStatus.Routed, application.DecidedAt);
}
