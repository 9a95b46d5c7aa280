using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using LoanHub.Web.Security;

namespace LoanHub.Web.Data.Configuration;

internal sealed class LoanApplicationConfiguration : IEntityTypeConfiguration<LoanApplication>
{
    /// <summary>
    /// Name, national ID, phone, device and IP address are stored encrypted; nothing queries them in SQL (look-ups and
    /// the fraud checks use the keyed hashes). An erased value is the empty string, stored as such: it says nothing.
    /// The lengths of device and IP are those of the clear value (intake checks them); their ciphertext is far longer.
    /// SQLite never enforces a column's length, so its schema keeps them; where the store would enforce them
    /// (<paramref name="storeEnforcesLengths"/>, PostgreSQL) the encrypted columns are unbounded.
    /// </summary>
    public static void EncryptPersonalData(ModelBuilder builder, PersonalData personalData, bool storeEnforcesLengths)
    {
        var encrypted = new ValueConverter<string, string>(
            v => v.Length == 0 ? "" : personalData.Protect(v),
            v => v.Length == 0 ? "" : personalData.Unprotect(v));
        // The lender's signing secret must be usable (to sign), so it is encrypted like personal data, never hashed.
        builder.Entity<Lender>().Property(l => l.DeliverySecret).HasConversion(encrypted!);
        builder.Entity<LoanApplication>().ComplexProperty(a => a.Applicant, applicant =>
        {
            applicant.Property(x => x.FullName).HasConversion(encrypted);
            applicant.Property(x => x.NationalId).HasConversion(encrypted);
            applicant.Property(x => x.Phone).HasConversion(encrypted);
            applicant.Property(x => x.DeviceId).HasConversion(encrypted);
            applicant.Property(x => x.IpAddress).HasConversion(encrypted);
            if (!storeEnforcesLengths) return;
            applicant.Property(x => x.DeviceId).Metadata.SetMaxLength(null);
            applicant.Property(x => x.IpAddress).Metadata.SetMaxLength(null);
        });
    }

    /// <summary>
    /// Covers the what-if's read of an application, in time order: what eligibility needs of the applicant and how its
    /// delivery ended, so a replay of a million applicants never reads their rows (each over a kilobyte of ciphertext
    /// and hashes). Created by the WhatIfReplayIndexes migration in SQL, because the model cannot put an owned type's
    /// columns in an index with its owner's.
    /// </summary>
    internal const string ReplayIndex =
        "CREATE INDEX \"IX_Applications_Replay\" ON \"Applications\" (\"ReceivedAt\", \"Id\", \"MonthlyIncome\", \"ExistingMonthlyDebt\", " +
        "\"Employment\", \"RequestedAmount\", \"TermMonths\", \"ProvinceCode\", \"BureauScore\", \"Purpose\", \"UnmatchedCause\")";

    /// <summary>
    /// Covers the risk backtest's read of an application, in time order: its source, how it ended, the figures the
    /// amount-to-income check reads and the keyed hashes the fraud checks link on, so a backtest of a million applicants
    /// never reads their rows. Created in SQL by the BacktestIndexes migration, as <see cref="ReplayIndex"/> is.
    /// </summary>
    internal const string BacktestIndex =
        "CREATE INDEX \"IX_Applications_Backtest\" ON \"Applications\" (\"ReceivedAt\", \"Id\", \"SourceId\", \"Status\", \"DecidedAt\", " +
        "\"MonthlyIncome\", \"RequestedAmount\", \"IdentityHash\", \"PhoneHash\", \"DeviceHash\", \"IpHash\")";

    public void Configure(EntityTypeBuilder<LoanApplication> application)
    {
        application.ToTable("Applications");
        application.HasKey(a => a.Id);
        application.HasIndex(a => new { a.SourceId, a.ExternalRef }).IsUnique();
        application.HasIndex(a => a.ReceivedAt);
        application.HasIndex(a => new { a.Status, a.ReceivedAt });
        // A copy of the allocation's lender (no foreign key: SQLite would rebuild the table to add one; the
        // allocation holds the real reference), so filtering the list by lender walks one index in time order.
        application.HasIndex(a => new { a.RoutedLenderId, a.ReceivedAt });
        // The retention run finds the applications due for erasure without walking past those already erased.
        application.HasIndex(a => new { a.PersonalDataErasedAt, a.ReceivedAt });
        application.Property(a => a.ExternalRef).HasMaxLength(64);
        application.Property(a => a.RequestHash).HasMaxLength(64);
        application.Property(a => a.IdentityHash).HasMaxLength(64);
        application.Property(a => a.PhoneHash).HasMaxLength(64);
        application.Property(a => a.DeviceHash).HasMaxLength(64);
        application.Property(a => a.IpHash).HasMaxLength(64);
        application.HasIndex(a => a.IdentityHash);
        application.HasIndex(a => a.PhoneHash);
        application.HasOne<TrafficSource>().WithMany().HasForeignKey(a => a.SourceId).OnDelete(DeleteBehavior.Restrict);
        application.Ignore(a => a.IsDecided);

        application.ComplexProperty(a => a.Applicant, applicant =>
        {
            applicant.Ignore(x => x.ResidentId);
            applicant.Ignore(x => x.BirthDate);
            applicant.Property(x => x.FullName).HasColumnName("FullName");
            applicant.Property(x => x.NationalId).HasColumnName("NationalId");
            applicant.Property(x => x.Phone).HasColumnName("Phone");
            applicant.Property(x => x.ProvinceCode).HasColumnName("ProvinceCode").HasMaxLength(2);
            applicant.Property(x => x.City).HasColumnName("City").HasMaxLength(50);
            applicant.Property(x => x.MonthlyIncome).HasColumnName("MonthlyIncome");
            applicant.Property(x => x.ExistingMonthlyDebt).HasColumnName("ExistingMonthlyDebt");
            applicant.Property(x => x.Employment).HasColumnName("Employment");
            applicant.Property(x => x.RequestedAmount).HasColumnName("RequestedAmount");
            applicant.Property(x => x.TermMonths).HasColumnName("TermMonths");
            applicant.Property(x => x.Purpose).HasColumnName("Purpose");
            applicant.Property(x => x.DeviceId).HasColumnName("DeviceId").HasMaxLength(128);
            applicant.Property(x => x.IpAddress).HasColumnName("IpAddress").HasMaxLength(45);
            applicant.Property(x => x.BureauScore).HasColumnName("BureauScore");
        });

        application.ComplexProperty(a => a.Consent, consent =>
        {
            consent.Property(x => x.CreditCheck).HasColumnName("ConsentCreditCheck");
            consent.Property(x => x.ShareWithLenders).HasColumnName("ConsentShareWithLenders");
            consent.Property(x => x.Marketing).HasColumnName("ConsentMarketing");
            consent.Property(x => x.Text).HasColumnName("ConsentText").HasMaxLength(4000);
        });
    }
}

internal sealed class RiskAssessmentConfiguration : IEntityTypeConfiguration<RiskAssessment>
{
    public void Configure(EntityTypeBuilder<RiskAssessment> assessment)
    {
        assessment.ToTable("Assessments");
        assessment.HasKey(a => a.Id);
        assessment.HasIndex(a => a.ApplicationId).IsUnique();
        // Covers the what-if's and the backtest's read of an assessment: the row itself holds kilobytes of decision record.
        assessment.HasIndex(a => new { a.ApplicationId, a.Decision, a.Score, a.Tier, a.ApplicantAge, a.CatalogVersionId, a.TurnedAwayForLimit, a.Signals },
            "IX_Assessments_Replay");
        assessment.HasOne<LoanApplication>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        assessment.Property(a => a.ScorecardVersion).HasMaxLength(32);
        assessment.Property(a => a.ReasonCodes).HasJsonConversion();
        assessment.Property(a => a.Signals).HasJsonConversion();
    }
}

internal sealed class AllocationConfiguration : IEntityTypeConfiguration<Allocation>
{
    public void Configure(EntityTypeBuilder<Allocation> allocation)
    {
        allocation.ToTable("Allocations");
        allocation.HasKey(a => a.Id);
        allocation.HasIndex(a => a.ApplicationId).IsUnique();
        allocation.HasIndex(a => new { a.ProductId, a.BusinessDay });
        allocation.HasIndex(a => new { a.LenderId, a.AllocatedAt });
        allocation.HasIndex(a => new { a.AllocatedAt, a.LenderId });
        allocation.HasIndex(a => new { a.LenderId, a.FeedSequence });
        // Covers the what-if's pass over the allocations since the month its window starts in (the row carries its candidates as JSON).
        allocation.HasIndex(a => new { a.AllocatedAt, a.ApplicationId, a.ProductId, a.BusinessDay, a.ExpectedCommission, a.DeliveryId }, "IX_Allocations_Replay");
        allocation.Property(a => a.LenderRef).HasMaxLength(100);
        allocation.Property(a => a.RedirectUrl).HasMaxLength(500);
        allocation.Property(a => a.Commission).HasCommissionJson();
        allocation.HasOne<LoanApplication>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        allocation.HasOne<LenderProduct>().WithMany().HasForeignKey(a => a.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> attempt)
    {
        attempt.ToTable("DeliveryAttempts");
        attempt.HasKey(a => a.Id);
        attempt.HasIndex(a => new { a.ApplicationId, a.Sequence }).IsUnique();
        // Covers the what-if's count of the offers lenders were made.
        attempt.HasIndex(a => new { a.CreatedAt, a.ApplicationId, a.ProductId }, "IX_DeliveryAttempts_Replay");
        // Start-up finds the attempts left in flight without walking the finished ones.
        attempt.HasIndex(a => new { a.Outcome, a.CreatedAt });
        // Lender health reads one lender's recent attempts.
        attempt.HasIndex(a => new { a.LenderId, a.CreatedAt });
        attempt.Property(a => a.Reason).HasMaxLength(DeliveryAttempt.MaxReasonLength);
        attempt.Property(a => a.LenderRef).HasMaxLength(100);
        attempt.Property(a => a.RedirectUrl).HasMaxLength(500);
        attempt.Property(a => a.Sender).HasMaxLength(DeliveryAttempt.MaxSenderLength);
        attempt.Ignore(a => a.IsInFlight);
        attempt.Ignore(a => a.EndedAtPrecheck);
        attempt.HasOne<LoanApplication>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasOne<LenderProduct>().WithMany().HasForeignKey(a => a.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OutcomeReportConfiguration : IEntityTypeConfiguration<OutcomeReport>
{
    public void Configure(EntityTypeBuilder<OutcomeReport> outcome)
    {
        outcome.ToTable("Outcomes");
        outcome.HasKey(o => o.Id);
        outcome.HasIndex(o => new { o.LenderId, o.EventId }).IsUnique();
        outcome.HasIndex(o => o.AllocationId);
        outcome.Property(o => o.EventId).HasMaxLength(64);
        outcome.Property(o => o.RequestHash).HasMaxLength(64);
        outcome.HasOne<Allocation>().WithMany().HasForeignKey(o => o.AllocationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReviewCaseConfiguration : IEntityTypeConfiguration<ReviewCase>
{
    public void Configure(EntityTypeBuilder<ReviewCase> review)
    {
        review.ToTable("ReviewCases");
        review.HasKey(r => r.Id);
        review.HasIndex(r => r.ApplicationId).IsUnique();
        review.HasIndex(r => new { r.Status, r.OpenedAt });
        review.HasIndex(r => r.ClusterId);
        review.Property(r => r.Reasons).HasJsonConversion();
        review.Property(r => r.ClaimedBy).HasMaxLength(256);
        review.Property(r => r.DecidedBy).HasMaxLength(256);
        review.Property(r => r.Note).HasMaxLength(2000);
        review.HasOne<LoanApplication>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CommissionEntryConfiguration : IEntityTypeConfiguration<CommissionEntry>
{
    public void Configure(EntityTypeBuilder<CommissionEntry> entry)
    {
        entry.ToTable("CommissionLedger");
        entry.HasKey(e => e.Id);
        entry.HasIndex(e => e.OccurredAt);
        entry.HasIndex(e => new { e.LenderId, e.OccurredAt });
        entry.HasIndex(e => new { e.AllocationId, e.Event }).IsUnique();
        entry.HasOne<Allocation>().WithMany().HasForeignKey(e => e.AllocationId).OnDelete(DeleteBehavior.Restrict);
    }
}
