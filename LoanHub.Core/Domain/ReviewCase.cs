namespace LoanHub.Core.Domain;

/// <summary>A flagged application waiting for a compliance reviewer: claimed by one, then approved or rejected with a note.</summary>
public sealed class ReviewCase : IVersioned
{
    public Guid Id { get; private set; }
    public ApplicationId ApplicationId { get; private set; }
    public SourceId SourceId { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public IReadOnlyList<string> Reasons { get; private set; } = [];
    /// <summary>The fraud ring this case belongs to, when the engine found one.</summary>
    public Guid? ClusterId { get; private set; }
    public ReviewStatus Status { get; private set; }
    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? Note { get; private set; }
    public int Version { get; private set; }

    private ReviewCase() { }

    public ReviewCase(ApplicationId applicationId, SourceId sourceId, DateTimeOffset openedAt, IReadOnlyList<string> reasons, Guid? clusterId)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        SourceId = sourceId;
        OpenedAt = openedAt;
        Reasons = reasons;
        ClusterId = clusterId;
        Status = ReviewStatus.Open;
    }

    public bool IsDecided => Status is ReviewStatus.Approved or ReviewStatus.Rejected;

    /// <summary>Links an open case to a fraud ring found after it was opened, so the ring is reviewed as a whole.</summary>
    public void JoinCluster(Guid clusterId)
    {
        if (!IsDecided) ClusterId = clusterId;
    }

    public void Claim(string reviewer, DateTimeOffset at)
    {
        if (IsDecided) throw new DomainException("This case is already decided.");
        if (Status == ReviewStatus.Claimed && ClaimedBy != reviewer)
            throw new DomainException($"This case is claimed by {ClaimedBy}.");
        Status = ReviewStatus.Claimed;
        ClaimedBy = reviewer;
        ClaimedAt = at;
    }

    public void Release(string reviewer)
    {
        if (Status != ReviewStatus.Claimed || ClaimedBy != reviewer)
            throw new DomainException("Only the reviewer who claimed a case can release it.");
        Status = ReviewStatus.Open;
        ClaimedBy = null;
        ClaimedAt = null;
    }

    /// <summary>An admin takes a case another reviewer claimed (who is away, or stuck): it is now claimed by <paramref name="admin"/>.</summary>
    public void TakeOver(string admin, DateTimeOffset at)
    {
        if (IsDecided) throw new DomainException("This case is already decided.");
        if (Status != ReviewStatus.Claimed || ClaimedBy == admin) throw new DomainException("Only a case someone else claimed can be taken over.");
        ClaimedBy = admin;
        ClaimedAt = at;
    }

    /// <summary>
    /// An admin gives a waiting case, open or claimed by anyone, to <paramref name="reviewer"/> (a reviewer away for the
    /// day hands their cases on): it is now claimed by them.
    /// </summary>
    public void AssignTo(string reviewer, DateTimeOffset at)
    {
        if (IsDecided) throw new DomainException("This case is already decided.");
        if (string.IsNullOrWhiteSpace(reviewer)) throw new DomainException("Choose the reviewer to give the case to.");
        if (Status == ReviewStatus.Claimed && ClaimedBy == reviewer) throw new DomainException("The case is already claimed by that reviewer.");
        Status = ReviewStatus.Claimed;
        ClaimedBy = reviewer;
        ClaimedAt = at;
    }

    /// <summary>
    /// Closes a case nobody decided within the retention period: rejected as expired by <paramref name="actor"/>,
    /// whoever claimed it, so that its applicant's personal data is not kept for ever waiting for a reviewer.
    /// </summary>
    public void Expire(string actor, string note, DateTimeOffset at)
    {
        if (IsDecided) throw new DomainException("This case is already decided.");
        Status = ReviewStatus.Rejected;
        DecidedBy = actor;
        DecidedAt = at;
        Note = note;
    }

    public void Approve(string reviewer, string note, DateTimeOffset at) => Decide(ReviewStatus.Approved, reviewer, note, at);
    public void Reject(string reviewer, string note, DateTimeOffset at) => Decide(ReviewStatus.Rejected, reviewer, note, at);

    private void Decide(ReviewStatus outcome, string reviewer, string note, DateTimeOffset at)
    {
        if (IsDecided) throw new DomainException("This case is already decided.");
        if (Status == ReviewStatus.Claimed && ClaimedBy != reviewer)
            throw new DomainException($"This case is claimed by {ClaimedBy}.");
        if (string.IsNullOrWhiteSpace(note)) throw new DomainException("A decision needs a note.");
        Status = outcome;
        DecidedBy = reviewer;
        DecidedAt = at;
        Note = note.Trim();
    }
}
