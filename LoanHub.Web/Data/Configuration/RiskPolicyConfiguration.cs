using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

internal sealed class RiskPolicyConfiguration : IEntityTypeConfiguration<RiskPolicyVersion>
{
    public void Configure(EntityTypeBuilder<RiskPolicyVersion> policy)
    {
        policy.ToTable("RiskPolicyVersions");
        policy.HasKey(p => p.Version);
        policy.Property(p => p.Version).ValueGeneratedNever();
        policy.Property(p => p.Comment).HasMaxLength(500);
        policy.Property(p => p.CreatedBy).HasMaxLength(256);
        policy.Ignore(p => p.Policy);
    }
}
