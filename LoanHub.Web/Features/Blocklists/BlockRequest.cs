using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Blocklists;

/// <summary>What a reviewer rejecting a case (or a ring) blocks: which of the rejected applicants' keys, for how many days.</summary>
public sealed record BlockRequest
{
    public IReadOnlyList<LinkKind> Kinds { get; }
    public int Days { get; }

    public BlockRequest(IReadOnlyList<LinkKind> kinds, int days)
    {
        if (kinds.Count == 0) throw new DomainException("Choose what to block: national ID, phone or device.");
        if (BlocklistEntry.DaysProblem(days) is { } problem) throw new DomainException(problem);
        Kinds = [.. kinds.Distinct().Order()];
        Days = days;
    }

    public static IReadOnlyList<LinkKind> AllKinds { get; } = [LinkKind.NationalId, LinkKind.Phone, LinkKind.Device];

    /// <summary>The stored look-up hash of one of the application's keys.</summary>
    public static string KeyOf(LoanApplication application, LinkKind kind) => kind switch
    {
        LinkKind.NationalId => application.IdentityHash,
        LinkKind.Phone => application.PhoneHash,
        _ => application.DeviceHash,
    };
}
