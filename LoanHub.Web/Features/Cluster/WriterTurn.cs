using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Features.Cluster;

/// <summary>
/// One group an instance's writer decided and committed on a shared PostgreSQL store, numbered in commit order, with
/// what it changed in the writer's state; the other instances apply it before their next group (ADR 0013).
/// </summary>
public sealed class WriterTurn
{
    private WriterTurn() { }

    internal WriterTurn(long sequence, string instance, DateTimeOffset committedAt, string changes)
    {
        Sequence = sequence;
        Instance = instance;
        CommittedAt = committedAt;
        Changes = changes;
    }

    public long Sequence { get; private set; }
    public string Instance { get; private set; } = "";
    public DateTimeOffset CommittedAt { get; private set; }

    /// <summary>The group's <see cref="StateChange"/>s as JSON.</summary>
    public string Changes { get; private set; } = "[]";
}

internal sealed class WriterTurnConfiguration : IEntityTypeConfiguration<WriterTurn>
{
    public void Configure(EntityTypeBuilder<WriterTurn> turn)
    {
        turn.ToTable("WriterTurns");
        turn.HasKey(t => t.Sequence);
        turn.Property(t => t.Sequence).ValueGeneratedNever();
        turn.Property(t => t.Instance).HasMaxLength(100);
        turn.HasIndex(t => t.CommittedAt);
    }
}
