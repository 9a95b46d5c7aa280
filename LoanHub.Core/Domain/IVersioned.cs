namespace LoanHub.Core.Domain;

/// <summary>
/// Anything two operators may edit at once. The store bumps <see cref="Version"/> on every save and
/// refuses a save made against an older version, so the second writer sees a conflict instead of
/// silently overwriting the first.
/// </summary>
public interface IVersioned
{
    int Version { get; }
}
