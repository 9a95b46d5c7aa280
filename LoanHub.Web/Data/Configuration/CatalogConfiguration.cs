using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

internal sealed class TrafficSourceConfiguration : IEntityTypeConfiguration<TrafficSource>
{
    public void Configure(EntityTypeBuilder<TrafficSource> source)
    {
        source.ToTable("Sources");
        source.HasKey(s => s.Id);
        source.HasIndex(s => s.Code).IsUnique();
        source.HasIndex(s => s.ApiKeyHash).IsUnique();
        source.Property(s => s.Code).HasMaxLength(32);
        source.Property(s => s.Name).HasMaxLength(100);
        source.Property(s => s.ApiKeyHash).HasMaxLength(64);
    }
}

internal sealed class LenderConfiguration : IEntityTypeConfiguration<Lender>
{
    public void Configure(EntityTypeBuilder<Lender> lender)
    {
        lender.ToTable("Lenders");
        lender.HasKey(l => l.Id);
        lender.HasIndex(l => l.Code).IsUnique();
        lender.HasIndex(l => l.ApiKeyHash).IsUnique();
        lender.Property(l => l.Code).HasMaxLength(32);
        lender.Property(l => l.Name).HasMaxLength(100);
        lender.Property(l => l.ApiKeyHash).HasMaxLength(64);
        lender.Property(l => l.AutoPausedReason).HasMaxLength(300);
        lender.Property(l => l.Delivery!).HasJsonConversion(
            d => new DeliveryJson(d.PrecheckUrl, d.PostUrl, d.TimeoutMs),
            j => LenderDelivery.Restore(j.PrecheckUrl, j.PostUrl, j.TimeoutMs));
        lender.Ignore(l => l.IsPush);
        lender.HasMany(l => l.Products).WithOne().HasForeignKey(p => p.LenderId).OnDelete(DeleteBehavior.Restrict);
        lender.Navigation(l => l.Products).UsePropertyAccessMode(PropertyAccessMode.Field);
    }

    private sealed record DeliveryJson(string? PrecheckUrl, string PostUrl, int TimeoutMs);
}

internal sealed class LenderProductConfiguration : IEntityTypeConfiguration<LenderProduct>
{
    public void Configure(EntityTypeBuilder<LenderProduct> product)
    {
        product.ToTable("Products");
        product.HasKey(p => p.Id);
        product.HasIndex(p => p.Code).IsUnique();
        product.Property(p => p.Code).HasMaxLength(32);
        product.Property(p => p.Name).HasMaxLength(100);
        product.Property(p => p.Criteria).HasJsonConversion();
        product.Property(p => p.Limits).HasJsonConversion();
        product.Property(p => p.Commission).HasCommissionJson();
        product.Property(p => p.Apr!).HasJsonConversion(a => new AprJson(a.Min, a.Max), j => AprRange.Create(j.Min, j.Max));
    }

    private sealed record AprJson(decimal Min, decimal Max);
}

internal sealed class RoutingPolicyConfiguration : IEntityTypeConfiguration<RoutingPolicy>
{
    public void Configure(EntityTypeBuilder<RoutingPolicy> policy)
    {
        policy.ToTable("RoutingPolicies");
        policy.HasKey(p => p.Version);
        policy.Property(p => p.Version).ValueGeneratedNever();
        policy.Property(p => p.Comment).HasMaxLength(500);
        policy.Property(p => p.CreatedBy).HasMaxLength(256);
        policy.Ignore(p => p.Products);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> audit)
    {
        audit.ToTable("AuditLog");
        audit.HasKey(a => a.Id);
        audit.HasIndex(a => a.At);
        audit.HasIndex(a => new { a.Area, a.At });
        audit.Property(a => a.Actor).HasMaxLength(256);
        audit.Property(a => a.Area).HasMaxLength(32);
        audit.Property(a => a.Action).HasMaxLength(64);
        audit.Property(a => a.EntityType).HasMaxLength(64);
        audit.Property(a => a.EntityId).HasMaxLength(64);
    }
}
