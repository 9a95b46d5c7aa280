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
    /// history). In arrival order.
    /// </summary>
    public static IQueryable<BacktestApplicant> Applicants(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end, bool withHashes) =>
        withHashes
            ? from x in Window(db, start, end)
              select new BacktestApplicant(x.Application.Id, x.Application.SourceId, x.Application.ReceivedAt,
                  x.Application.IdentityHash.Substring(0, KeyLength), x.Application.PhoneHash.Substring(0, KeyLength),
                  x.Application.DeviceHash.Substring(0, KeyLength), x.Application.IpHash.Substring(0, KeyLength),
                  x.Application.Applicant.MonthlyIncome, x.Application.Applicant.RequestedAmount,
                  x.Assessment.Score, x.Assessment.Tier, x.Assessment.Decision, x.Assessment.Signals,
                  x.Application.Status == ApplicationStatus.Routed, x.Application.DecidedAt)
            // A score change reads no hashes: four columns fewer for each of a million rows.
            : from x in Window(db, start, end)
              select new BacktestApplicant(x.Application.Id, x.Application.SourceId, x.Application.ReceivedAt, "", "", "", "",
                  x.Application.Applicant.MonthlyIncome, x.Application.Applicant.RequestedAmount,
                  x.Assessment.Score, x.Assessment.Tier, x.Assessment.Decision, x.Assessment.Signals,
                  x.Application.Status == ApplicationStatus.Routed, x.Application.DecidedAt);

    private static IQueryable<AssessedApplication> Window(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end) =>
        AssessedApplication.ReceivedIn(db, start, end).OrderBy(x => x.Application.ReceivedAt);
}
