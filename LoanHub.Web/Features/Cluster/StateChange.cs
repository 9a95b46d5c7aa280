using System.Text.Json;
using System.Text.Json.Serialization;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Intake;

namespace LoanHub.Web.Features.Cluster;

/// <summary>
/// One change a writer made to its <see cref="EngineState"/>, as data: the writer of every other instance applies
/// the changes of each turn it did not take, in turn order, before it decides, so all instances decide on the same
/// history, usage and round-robin position (ADR 0013).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "k")]
[JsonDerivedType(typeof(FraudAdded), "f")]
[JsonDerivedType(typeof(FraudRouted), "r")]
[JsonDerivedType(typeof(UsageAdded), "u")]
[JsonDerivedType(typeof(FeedAdvanced), "s")]
[JsonDerivedType(typeof(RoundRobinSet), "w")]
[JsonDerivedType(typeof(UnderWayChanged), "d")]
internal abstract record StateChange
{
    public abstract void ApplyTo(EngineState state);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<StateChange> changes) => JsonSerializer.Serialize(changes, Options);

    public static IReadOnlyList<StateChange> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<StateChange>>(json, Options) ?? throw new JsonException("A writer turn holds no changes.");
}

/// <summary>An application joined the fraud history.</summary>
internal sealed record FraudAdded(Guid Id, string Identity, string Phone, string Device, string Ip, DateTimeOffset At) : StateChange
{
    public static FraudAdded Of(ApplicationFingerprint application) => new(application.ApplicationId.Value, application.IdentityHash,
        application.PhoneHash, application.DeviceHash, application.IpHash, application.ReceivedAt);

    public ApplicationFingerprint Fingerprint => new(new ApplicationId(Id), Identity, Phone, Device, Ip, At);

    public override void ApplyTo(EngineState state) => state.Fraud.Add(Fingerprint);
}

/// <summary>An identity was routed (a second application of it within the window is a duplicate).</summary>
internal sealed record FraudRouted(string Identity, Guid Id, DateTimeOffset At) : StateChange
{
    public override void ApplyTo(EngineState state) => state.Fraud.MarkRouted(Identity, new ApplicationId(Id), At);
}

/// <summary>A lead counted against (or, negative, given back to) a product's daily cap and monthly budget.</summary>
internal sealed record UsageAdded(Guid Product, DateOnly Day, int Leads, decimal Commission) : StateChange
{
    public override void ApplyTo(EngineState state) => state.AddUsage(new ProductId(Product), Day, Leads, Commission);
}

/// <summary>The pull feed's last position.</summary>
internal sealed record FeedAdvanced(long Sequence) : StateChange
{
    public override void ApplyTo(EngineState state) => state.FeedSequence = Sequence;
}

/// <summary>A product's current weight in the weighted round robin.</summary>
internal sealed record RoundRobinSet(Guid Product, long Current) : StateChange
{
    public override void ApplyTo(EngineState state) => state.RoundRobin.Restore(new ProductId(Product), Current);
}

/// <summary>A delivery of an identity began (1) or ended (−1).</summary>
internal sealed record UnderWayChanged(string Identity, int Delta) : StateChange
{
    public override void ApplyTo(EngineState state) => state.DeliveryUnderWay(Identity, Delta);
}
