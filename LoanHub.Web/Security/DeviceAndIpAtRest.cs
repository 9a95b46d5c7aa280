using System.Data.Common;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Security;

/// <summary>
/// Stores from before device IDs and IP addresses were encrypted hold them in clear and have no look-up hashes for
/// them. At start, before the fraud checks load their history, each such row gets both; erased rows have nothing to
/// encrypt. Plain SQL, because the model now expects ciphertext in those columns.
/// </summary>
internal static class DeviceAndIpAtRest
{
    private const int BatchSize = 1000;

    public static async Task<int> EncryptLegacyRowsAsync(LoanHubDbContext db, PersonalData personalData, CancellationToken cancellationToken)
    {
        // PostgreSQL stores began after device IDs and IP addresses were encrypted: they have no such rows.
        if (!db.Database.IsSqlite()) return 0;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var upgraded = 0;
            while (true)
            {
                var rows = await LegacyRowsAsync(connection, cancellationToken);
                if (rows.Count == 0) return upgraded;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                foreach (var (id, device, ip) in rows)
                {
                    await using var update = connection.CreateCommand();
                    update.Transaction = transaction;
                    update.CommandText = """
                        UPDATE "Applications" SET "DeviceId" = $device, "IpAddress" = $ip, "DeviceHash" = $deviceHash, "IpHash" = $ipHash
                        WHERE "Id" = $id
                        """;
                    Add(update, "$device", personalData.Protect(device));
                    Add(update, "$ip", personalData.Protect(ip));
                    Add(update, "$deviceHash", personalData.LookupHash(device));
                    Add(update, "$ipHash", personalData.LookupHash(ip));
                    Add(update, "$id", id);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                upgraded += rows.Count;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<(string Id, string Device, string Ip)>> LegacyRowsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT "Id", "DeviceId", "IpAddress" FROM "Applications"
            WHERE "DeviceHash" = '' AND "PersonalDataErasedAt" IS NULL AND "DeviceId" <> ''
            LIMIT {BatchSize}
            """;
        var rows = new List<(string, string, string)>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
