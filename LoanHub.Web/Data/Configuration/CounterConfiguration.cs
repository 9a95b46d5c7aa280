using LoanHub.Web.Data.Counters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

internal sealed class DailyApplicationCountConfiguration : IEntityTypeConfiguration<DailyApplicationCount>
{
    public void Configure(EntityTypeBuilder<DailyApplicationCount> count)
    {
        count.ToTable("DailyApplicationCounts");
        count.HasKey(c => new { c.Day, c.SourceId, c.Status });
    }
}

internal sealed class DailyLenderCountConfiguration : IEntityTypeConfiguration<DailyLenderCount>
{
    public void Configure(EntityTypeBuilder<DailyLenderCount> count)
    {
        count.ToTable("DailyLenderCounts");
        count.HasKey(c => new { c.Day, c.LenderId });
    }
}
