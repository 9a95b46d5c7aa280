using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Domain;

public class LoanApplicationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    internal static Applicant SampleApplicant() => new("张伟", "11010519491231002X", "13800138000", "11", "Beijing",
        12_000m, 2_000m, Employment.Salaried, 50_000m, 12, LoanPurpose.Consumption, "dev-1", "10.1.2.3", 700);

    private static LoanApplication NewApplication(Consent? consent = null) =>
        new(SourceId.New(), "ext-1", "hash", Now, SampleApplicant(), consent ?? new Consent(true, true, false, "I agree"), new LookupHashes("id-hash", "phone-hash", "device-hash", "ip-hash"));

    [Fact]
    public void Missing_credit_check_or_sharing_consent_is_refused()
    {
        Assert.Throws<DomainException>(() => NewApplication(new Consent(false, true, false, "text")));
        Assert.Throws<DomainException>(() => NewApplication(new Consent(true, false, false, "text")));
    }

    [Fact]
    public void Application_in_review_can_be_routed_after_approval()
    {
        var application = NewApplication();
        application.HoldForReview(Now);
        var lender = LenderId.New();
        application.MarkRouted(lender, Now.AddMinutes(5));
        Assert.Equal(ApplicationStatus.Routed, application.Status);
        Assert.Equal(lender, application.RoutedLenderId);
    }

    [Fact]
    public void Erased_reference_is_unique_per_application_and_names_no_one()
    {
        var first = NewApplication();
        var second = NewApplication();
        Assert.NotEqual(LoanApplication.ErasedExternalRef(first.Id), LoanApplication.ErasedExternalRef(second.Id));
        Assert.Equal($"erased:{first.Id}", LoanApplication.ErasedExternalRef(first.Id));
        Assert.True(LoanApplication.ErasedExternalRef(first.Id).Length <= 64);
    }

    [Fact]
    public void Routed_application_cannot_be_routed_again()
    {
        var application = NewApplication();
        application.MarkRouted(LenderId.New(), Now);
        Assert.Throws<DomainException>(() => application.MarkRouted(LenderId.New(), Now));
        Assert.Throws<DomainException>(() => application.HoldForReview(Now));
    }

    [Fact]
    public void Duplicate_is_decided_at_intake_only()
    {
        var application = NewApplication();
        application.HoldForReview(Now);
        Assert.Throws<DomainException>(() => application.MarkDuplicate(Now));
    }
}
