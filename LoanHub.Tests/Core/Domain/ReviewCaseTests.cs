using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Domain;

public class ReviewCaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static ReviewCase NewCase() => new(ApplicationId.New(), SourceId.New(), Now, ["DEVICE_SHARED"], null);

    [Fact]
    public void Claimed_case_cannot_be_decided_by_another_reviewer()
    {
        var review = NewCase();
        review.Claim("alice@x", Now);
        var error = Assert.Throws<DomainException>(() => review.Approve("bob@x", "looks fine", Now));
        Assert.Contains("alice@x", error.Message);
    }

    [Fact]
    public void Decided_case_cannot_be_decided_again()
    {
        var review = NewCase();
        review.Claim("alice@x", Now);
        review.Reject("alice@x", "synthetic identity", Now);
        Assert.Throws<DomainException>(() => review.Approve("alice@x", "changed my mind", Now));
        Assert.Equal(ReviewStatus.Rejected, review.Status);
    }

    [Fact]
    public void Decision_needs_a_note()
    {
        Assert.Throws<DomainException>(() => NewCase().Approve("alice@x", "  ", Now));
    }

    [Fact]
    public void Released_case_can_be_claimed_by_someone_else()
    {
        var review = NewCase();
        review.Claim("alice@x", Now);
        review.Release("alice@x");
        review.Claim("bob@x", Now);
        Assert.Equal("bob@x", review.ClaimedBy);
    }
}
