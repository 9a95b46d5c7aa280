namespace LoanHub.Core.Domain;

/// <summary>Where applicants come from: an ad campaign, a partner app, a social channel.</summary>
public sealed class TrafficSource : IPartner
{
    public static string Kind => "Source";

    public SourceId Id { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Keyed hash of the API key; the key itself is never stored.</summary>
    public string ApiKeyHash { get; private set; } = "";
    public bool IsActive { get; private set; } = true;
    public int Version { get; private set; }

    private TrafficSource() { }

    public TrafficSource(string code, string name, string apiKeyHash)
    {
        Id = SourceId.New();
        Code = Codes.Checked(code, "source code");
        Rename(name);
        ApiKeyHash = apiKeyHash;
    }

    public void Rename(string name) => Name = Codes.CheckedName(name, "source name");
    public void SetApiKeyHash(string apiKeyHash) => ApiKeyHash = apiKeyHash;
    public void Pause() => IsActive = false;
    public void Resume() => IsActive = true;
}
