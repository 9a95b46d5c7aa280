using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Routing;

/// <summary>
/// A what-if run on one proposal, with the receipt that lets <see cref="RoutingPolicyService"/> save exactly that proposal
/// on exactly the version it was run against.
/// </summary>
public sealed record PolicySimulation(SimulationResult Result, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, SimulationReceipt Receipt)
{
    public SimulationSummary Summary => new(WindowStart, WindowEnd, Result.Replayed, Result.ActualRouted, Result.SimulatedRouted,
        Result.ActualExpectedCommission, Result.SimulatedExpectedCommission);
}

/// <summary>
/// What a simulation ran on: the <see cref="RoutingProposal.Fingerprint"/> of the proposal and the policy version active then,
/// sealed by this server so that a receipt cannot be written by hand or carried over to another proposal.
/// </summary>
public sealed record SimulationReceipt(string Fingerprint, int BaseVersion, DateTimeOffset RanAt, string Seal);

/// <summary>The figures of a simulation a policy version keeps, shown in the version list.</summary>
public sealed record SimulationSummary(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int Replayed, int ActualRouted, int SimulatedRouted,
    decimal ActualExpectedCommission, decimal SimulatedExpectedCommission)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SimulationSummary? FromJson(string json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<SimulationSummary>(json, Json);
}

/// <summary>
/// Seals simulation receipts with a key made at start and never stored: only a simulation this process ran can be
/// presented when saving, and a restart asks for the simulation again.
/// </summary>
public sealed class SimulationSeal
{
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    public SimulationReceipt Issue(string fingerprint, int baseVersion, DateTimeOffset ranAt) =>
        new(fingerprint, baseVersion, ranAt, Compute(fingerprint, baseVersion, ranAt));

    public bool IsGenuine(SimulationReceipt receipt) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(receipt.Fingerprint, receipt.BaseVersion, receipt.RanAt)),
            Encoding.ASCII.GetBytes(receipt.Seal));

    private string Compute(string fingerprint, int baseVersion, DateTimeOffset ranAt) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{fingerprint}|{baseVersion}|{ranAt.UtcTicks}"))));
}
