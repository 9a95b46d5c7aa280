using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

internal sealed class BlocklistConfiguration : IEntityTypeConfiguration<BlocklistEntry>
{
    public void Configure(EntityTypeBuilder<BlocklistEntry> entry)
    {
        entry.ToTable("Blocklist");
        entry.HasKey(e => e.Id);
        // The writer loads the entries not lifted and not yet expired.
        entry.HasIndex(e => new { e.LiftedAt, e.Until });
        entry.Property(e => e.KeyHash).HasMaxLength(64);
        entry.Property(e => e.Reason).HasMaxLength(BlocklistEntry.MaxReasonLength);
        entry.Property(e => e.LiftReason).HasMaxLength(BlocklistEntry.MaxReasonLength);
        entry.Property(e => e.CreatedBy).HasMaxLength(256);
        entry.Property(e => e.LiftedBy).HasMaxLength(256);
        entry.Ignore(e => e.IsLifted);
    }
}
