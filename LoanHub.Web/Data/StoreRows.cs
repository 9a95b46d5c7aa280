using System.Data.Common;
using System.Runtime.CompilerServices;
using LoanHub.Web.Data.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

/// <summary>
/// Rows read with SQL of their own, for the reads of a million rows (the routing what-if, the risk backtest) where EF
/// Core's materializer is a sixth of the CPU (ADR 0011). The command runs on the context's connection, so it
/// reads the same store on either provider; its SQL must be the same on both: quoted names, enums by name, instants as
/// UTC ticks and money as fen (ADR 0001), read back here as the model's converters read them.
/// </summary>
internal static class StoreRows
{
    /// <param name="parameters">Named as the SQL names them after its <c>@</c>.</param>
    public static async IAsyncEnumerable<T> ReadAsync<T>(LoanHubDbContext db, string sql, IReadOnlyList<(string Name, long Value)> parameters,
        Func<DbDataReader, T> map, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) yield return map(reader);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static DateTimeOffset GetInstant(this DbDataReader row, int ordinal) => StoreConventions.FromUtcTicks(row.GetInt64(ordinal));

    public static DateTimeOffset? GetNullableInstant(this DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInstant(ordinal);

    public static decimal GetMoney(this DbDataReader row, int ordinal) => StoreConventions.FromFen(row.GetInt64(ordinal));

    public static decimal? GetNullableMoney(this DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetMoney(ordinal);

    public static int? GetNullableInt32(this DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt32(ordinal);

    public static long? GetNullableInt64(this DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt64(ordinal);

    public static string? GetNullableString(this DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    /// <summary>An enum stored by its name (StoreConventions).</summary>
    public static TEnum GetEnum<TEnum>(this DbDataReader row, int ordinal) where TEnum : struct, Enum => Enum.Parse<TEnum>(row.GetString(ordinal));
}
