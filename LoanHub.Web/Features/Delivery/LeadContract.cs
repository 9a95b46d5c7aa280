using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoanHub.Web.Features.Delivery;

// The bodies LoanHub sends to lenders and the answers it reads back. Their JSON names are a contract with
// lenders' engineers (README, "Lender API"): change them only compatibly.

/// <summary>The pre-check (撞库): hashed identifiers only, never a name, ID number or phone in clear.</summary>
public sealed record PrecheckRequest(
    string DeliveryId,
    string ProductCode,
    string PhoneMd5,
    string NationalIdSha256,
    string ProvinceCode,
    decimal RequestedAmount,
    int TermMonths,
    string Tier,
    int Score);

/// <summary>The post (进件) of the full application; also what a pull lender reads from <c>GET /api/v1/leads</c>.</summary>
public sealed record PostRequest(
    string DeliveryId,
    Guid ApplicationId,
    string ProductCode,
    LeadApplicant Applicant,
    LeadRisk Risk,
    LeadConsent Consent);

public sealed record LeadApplicant(
    string FullName,
    string NationalId,
    string Phone,
    string ProvinceCode,
    string? City,
    decimal MonthlyIncome,
    decimal? ExistingMonthlyDebt,
    string Employment,
    decimal RequestedAmount,
    int TermMonths,
    string Purpose);

public sealed record LeadRisk(int Score, string Tier, IReadOnlyList<string> ReasonCodes);

public sealed record LeadConsent(bool CreditCheck, bool ShareWithLenders, string Text, DateTimeOffset GivenAt);

/// <summary>What a lender answers to either call: <c>{ "accept": true, ... }</c> or <c>{ "accept": false, "reason": "..." }</c>.</summary>
public sealed record LenderReply(bool? Accept, string? Reason, decimal? Price, string? LenderRef, string? RedirectUrl);

/// <summary>The two calls of a delivery; each has its own idempotency key, <c>&lt;deliveryId&gt;:precheck</c> or <c>:post</c>.</summary>
public enum DeliveryStage { Precheck, Post }

public static class LeadContract
{
    public const string TimestampHeader = "X-LoanHub-Timestamp";
    public const string SignatureHeader = "X-LoanHub-Signature";
    public const string IdempotencyHeader = "Idempotency-Key";
    /// <summary>The most LoanHub reads of a lender's answer; a longer one is an error.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string IdempotencyKey(string deliveryId, DeliveryStage stage) =>
        $"{deliveryId}:{(stage == DeliveryStage.Precheck ? "precheck" : "post")}";
}
