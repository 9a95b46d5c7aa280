using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LoanHub.Web.Data.Configuration;

/// <summary>
/// How domain values land in the store. SQLite has no decimal and cannot order or compare
/// DateTimeOffset, so money becomes whole fen (exact, summable in SQL) and instants become UTC ticks.
/// </summary>
internal static class StoreConventions
{
    public static void Apply(ModelConfigurationBuilder conventions)
    {
        conventions.Properties<decimal>().HaveConversion<FenConverter>();
        conventions.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        conventions.Properties<ApplicationId>().HaveConversion<ApplicationIdConverter>();
        conventions.Properties<LenderId>().HaveConversion<LenderIdConverter>();
        conventions.Properties<ProductId>().HaveConversion<ProductIdConverter>();
        conventions.Properties<SourceId>().HaveConversion<SourceIdConverter>();
        conventions.Properties<AllocationId>().HaveConversion<AllocationIdConverter>();
        conventions.Properties<DeliveryId>().HaveConversion<DeliveryIdConverter>();
        conventions.Properties<Enum>().HaveConversion<string>().HaveMaxLength(24);
    }

    public static void UseVersionAsConcurrencyToken(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(IVersioned).IsAssignableFrom(e.ClrType)))
        {
            builder.Entity(entity.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        }
    }

    /// <summary>An amount as the store holds it: whole fen.</summary>
    public static decimal FromFen(long fen) => fen / 100m;

    /// <summary>An instant as the store holds it: UTC ticks.</summary>
    public static DateTimeOffset FromUtcTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private sealed class FenConverter() : ValueConverter<decimal, long>(
        v => decimal.ToInt64(decimal.Round(v * 100m, 0, MidpointRounding.AwayFromZero)),
        v => FromFen(v));

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => FromUtcTicks(v));

    private sealed class ApplicationIdConverter() : ValueConverter<ApplicationId, Guid>(v => v.Value, v => new ApplicationId(v));
    private sealed class LenderIdConverter() : ValueConverter<LenderId, Guid>(v => v.Value, v => new LenderId(v));
    private sealed class ProductIdConverter() : ValueConverter<ProductId, Guid>(v => v.Value, v => new ProductId(v));
    private sealed class SourceIdConverter() : ValueConverter<SourceId, Guid>(v => v.Value, v => new SourceId(v));
    private sealed class AllocationIdConverter() : ValueConverter<AllocationId, Guid>(v => v.Value, v => new AllocationId(v));
    private sealed class DeliveryIdConverter() : ValueConverter<DeliveryId, Guid>(v => v.Value, v => new DeliveryId(v));
}
