using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Data.Configuration;

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
    /// ID or phone to decrypt, each column through an index that holds it (IX_Applications_Backtest, IX_Assessments_Replay);
    /// the keyed hashes only when <paramref name="withHashes"/> (a replay of the fraud history). In arrival order. Read
    /// with SQL of its own, as the what-if's rows are (<see cref="StoreRows"/>); <c>BacktestRowsTests</c> holds it to the
    /// model's LINQ query on both providers.
    /// </summary>
    public static IAsyncEnumerable<BacktestApplicant> Applicants(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end, bool withHashes,
        CancellationToken cancellationToken = default) =>
        StoreRows.ReadAsync(db, withHashes ? WithHashes : WithoutHashes, [("start", start.UtcTicks), ("end", end.UtcTicks)], row => new BacktestApplicant(
            new ApplicationId(row.GetGuid(0)), new SourceId(row.GetGuid(1)), row.GetInstant(2),
            withHashes ? row.GetString(11) : "", withHashes ? row.GetString(12) : "", withHashes ? row.GetString(13) : "", withHashes ? row.GetString(14) : "",
            row.GetMoney(3), row.GetMoney(4), row.GetInt32(5), row.GetEnum<RiskTier>(6), row.GetEnum<Decision>(7), JsonColumn.StringList(row.GetString(8)),
            row.GetBoolean(9), row.GetNullableInstant(10)), cancellationToken);

    // A score change reads no hashes: four columns fewer for each of a million rows.
    private const string Columns = """
        SELECT a."Id", a."SourceId", a."ReceivedAt", a."MonthlyIncome", a."RequestedAmount", s."Score", s."Tier", s."Decision", s."Signals",
               a."Status" = 'Routed', a."DecidedAt"
        """;

    private static readonly string Hashes =
        $"""
         , substr(a."IdentityHash", 1, {KeyLength}), substr(a."PhoneHash", 1, {KeyLength}), substr(a."DeviceHash", 1, {KeyLength}), substr(a."IpHash", 1, {KeyLength})
         """;

    private const string Window = """

        FROM "Applications" AS a
        INNER JOIN "Assessments" AS s ON a."Id" = s."ApplicationId"
        WHERE a."ReceivedAt" >= @start AND a."ReceivedAt" < @end
        ORDER BY a."ReceivedAt"
        """;

    private static readonly string WithHashes = Columns + Hashes + Window;
    private const string WithoutHashes = Columns + Window;
}
