using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Features.Cluster;

/// <summary>
/// An instance running on a shared PostgreSQL store, seen alive at <see cref="SeenAt"/>: its writer renews it every
/// few seconds and removes it at a clean stop. The deliveries of an instance not seen for <see cref="ClusterMembership.Lease"/>
/// are taken over by another (ADR 0013).
/// </summary>
public sealed class WriterInstance
{
    private WriterInstance() { }

    internal WriterInstance(string instance, DateTimeOffset at)
    {
        Instance = instance;
        StartedAt = at;
        SeenAt = at;
    }

    public string Instance { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset SeenAt { get; private set; }

    internal void Seen(DateTimeOffset at) => SeenAt = at;
}

internal sealed class WriterInstanceConfiguration : IEntityTypeConfiguration<WriterInstance>
{
    public void Configure(EntityTypeBuilder<WriterInstance> instance)
    {
        instance.ToTable("WriterInstances");
        instance.HasKey(i => i.Instance);
        instance.Property(i => i.Instance).HasMaxLength(100);
    }
}
