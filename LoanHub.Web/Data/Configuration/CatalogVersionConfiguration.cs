using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

internal sealed class CatalogVersionConfiguration : IEntityTypeConfiguration<CatalogVersion>
{
    public void Configure(EntityTypeBuilder<CatalogVersion> version)
    {
        version.ToTable("CatalogVersions");
        version.HasKey(v => v.Id);
        version.Property(v => v.Id).ValueGeneratedOnAdd();
        version.HasIndex(v => v.TakenAt);
        version.Property(v => v.Fingerprint).HasMaxLength(64);
    }
}
