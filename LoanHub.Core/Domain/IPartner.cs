namespace LoanHub.Core.Domain;

/// <summary>
/// A party LoanHub exchanges leads with through an API key: a lender (postbacks) or a traffic source (intake).
/// Known by a stable code, renamed freely, paused and resumed, re-keyed; only the key's hash is kept.
/// </summary>
public interface IPartner : IVersioned
{
    /// <summary>What the console and the audit log call this kind of partner: "Lender", "Source".</summary>
    static abstract string Kind { get; }

    string Code { get; }
    string Name { get; }
    bool IsActive { get; }
    void Rename(string name);
    void SetApiKeyHash(string apiKeyHash);
    void Pause();
    void Resume();
}
