using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Core.Identity;

namespace LoanHub.Web.Features.Intake;

/// <summary>The body a traffic source posts to <c>POST /api/v1/applications</c>. Names are a contract with integrations.</summary>
public sealed record IntakeRequest
{
    public string? ExternalRef { get; init; }
    public string? FullName { get; init; }
    public string? NationalId { get; init; }
    public string? Phone { get; init; }
    public string? ProvinceCode { get; init; }
    public string? City { get; init; }
    public decimal? MonthlyIncome { get; init; }
    public decimal? ExistingMonthlyDebt { get; init; }
    public string? Employment { get; init; }
    public decimal? RequestedAmount { get; init; }
    public int? TermMonths { get; init; }
    public string? Purpose { get; init; }
    public string? DeviceId { get; init; }
    public string? IpAddress { get; init; }
    public int? BureauScore { get; init; }
    public ConsentRequest? Consent { get; init; }

    /// <summary>
    /// A fingerprint of the request's content, to tell a resubmission from a different body under the same reference;
    /// of its normalised text, so the same name sent composed and decomposed is the same body.
    /// </summary>
    public string ContentHash() =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Normalized(), IntakeJson.Canonical)));

    /// <summary>This request with every text field in NFC (<see cref="InputRules.Normalized"/>).</summary>
    public IntakeRequest Normalized() => this with
    {
        ExternalRef = InputRules.Normalized(ExternalRef),
        FullName = InputRules.Normalized(FullName),
        NationalId = InputRules.Normalized(NationalId),
        Phone = InputRules.Normalized(Phone),
        ProvinceCode = InputRules.Normalized(ProvinceCode),
        City = InputRules.Normalized(City),
        Employment = InputRules.Normalized(Employment),
        Purpose = InputRules.Normalized(Purpose),
        DeviceId = InputRules.Normalized(DeviceId),
        IpAddress = InputRules.Normalized(IpAddress),
        Consent = Consent is null ? null : Consent with { Text = InputRules.Normalized(Consent.Text) },
    };
}

public sealed record ConsentRequest(bool? CreditCheck, bool? ShareWithLenders, bool? Marketing, string? Text);

/// <summary>A request that passed validation, in domain terms.</summary>
public sealed record ValidIntake(string ExternalRef, Applicant Applicant, Consent Consent);

public static class IntakeValidator
{
    public const decimal MaxIncome = 10_000_000m;
    public const decimal MinAmount = 500m;
    public const decimal MaxAmount = 5_000_000m;
    public const int MaxTermMonths = 120;

    // Fields with a strict format of their own (ID number, phone, province, address) say what is wrong with a
    // near miss themselves; this only keeps absurd lengths away from their parsers.
    private const int FormattedMax = 64;

    /// <summary>
    /// Every problem with every field, keyed by the field's JSON name; empty when the request is valid. Text is
    /// checked and kept in NFC (<see cref="InputRules"/>), so <paramref name="valid"/> holds the normalised values.
    /// </summary>
    public static Dictionary<string, string[]> Validate(IntakeRequest request, out ValidIntake? valid)
    {
        var r = request.Normalized();
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        Text(r.ExternalRef, "externalRef", 64, Add);
        Text(r.FullName, "fullName", 50, Add);
        if (Clean(r.NationalId, "nationalId", FormattedMax, Add) is { } nationalId && !ResidentId.TryParse(nationalId, out _, out var idError)) Add("nationalId", idError);
        if (Clean(r.Phone, "phone", FormattedMax, Add) is { } phone && !MobileNumber.IsValid(phone))
            Add("phone", "must be an 11-digit mainland mobile number (^1[3-9]\\d{9}$)");
        if (Clean(r.ProvinceCode, "provinceCode", FormattedMax, Add) is { } province && !Provinces.IsKnown(province))
            Add("provinceCode", "must be a GB/T 2260 two-digit province code such as 31");
        if (r.City is not null) Clean(r.City, "city", 50, Add);
        Money(r.MonthlyIncome, "monthlyIncome", 0m, MaxIncome, required: true, Add);
        Money(r.ExistingMonthlyDebt, "existingMonthlyDebt", 0m, MaxIncome, required: false, Add);
        var employment = EnumOf<Employment>(r.Employment, "employment", Add);
        Money(r.RequestedAmount, "requestedAmount", MinAmount, MaxAmount, required: true, Add);
        if (r.TermMonths is null) Add("termMonths", "is required");
        else if (InputRules.CountProblem(r.TermMonths.Value, 1, MaxTermMonths) is { } termProblem) Add("termMonths", termProblem);
        var purpose = EnumOf<LoanPurpose>(r.Purpose, "purpose", Add);
        Text(r.DeviceId, "deviceId", 128, Add);
        if (Clean(r.IpAddress, "ipAddress", FormattedMax, Add) is { } address && !IsInternetAddress(address)) Add("ipAddress", "must be an IPv4 or IPv6 address");
        if (r.BureauScore is < 300 or > 900) Add("bureauScore", "must be between 300 and 900 when present");
        if (r.Consent is null) Add("consent", "is required");
        else
        {
            if (r.Consent.CreditCheck != true) Add("consent.creditCheck", "consent to the credit check is required");
            if (r.Consent.ShareWithLenders != true) Add("consent.shareWithLenders", "consent to sharing with lenders is required");
            if (string.IsNullOrWhiteSpace(r.Consent.Text)) Add("consent.text", "the consent wording shown to the applicant is required");
            else if (r.Consent.Text.Length > 4000) Add("consent.text", "must be at most 4,000 characters");
            else if (InputRules.ProblemWith(r.Consent.Text, allowLineBreaks: true) is { } textProblem) Add("consent.text", textProblem);
        }

        valid = null;
        if (errors.Count == 0)
        {
            var applicant = new Applicant(r.FullName!.Trim(), r.NationalId!.ToUpperInvariant(), r.Phone!, r.ProvinceCode!, string.IsNullOrWhiteSpace(r.City) ? null : r.City.Trim(),
                r.MonthlyIncome!.Value, r.ExistingMonthlyDebt, employment!.Value, r.RequestedAmount!.Value, r.TermMonths!.Value, purpose!.Value,
                r.DeviceId!, r.IpAddress!, r.BureauScore);
            valid = new ValidIntake(r.ExternalRef!, applicant,
                new Consent(true, true, r.Consent!.Marketing == true, r.Consent.Text!));
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static void Text(string? value, string field, int max, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value)) add(field, "is required");
        else Clean(value, field, max, add);
    }

    /// <summary>The value when it is present, short enough and clean text; null (with the problem added) otherwise.</summary>
    private static string? Clean(string? value, string field, int max, Action<string, string> add)
    {
        if (value is null) add(field, "is required");
        else if (value.Length > max) add(field, $"must be at most {max} characters");
        else if (InputRules.ProblemWith(value) is { } problem) add(field, problem);
        else return value;
        return null;
    }

    private static void Money(decimal? value, string field, decimal min, decimal max, bool required, Action<string, string> add)
    {
        if (value is null)
        {
            if (required) add(field, "is required");
            return;
        }
        if (InputRules.MoneyProblem(value.Value, min, max) is { } problem) add(field, problem);
    }

    private static bool IsInternetAddress(string value) =>
        IPAddress.TryParse(value, out var ip)
        && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3));

    private static T? EnumOf<T>(string? value, string field, Action<string, string> add) where T : struct, Enum
    {
        if (value is not null && Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && value.Length > 0 && char.IsAsciiLetter(value[0]))
            return parsed;
        add(field, value is null ? "is required" : $"must be one of {string.Join(", ", Enum.GetNames<T>())}");
        return null;
    }
}

internal static class IntakeJson
{
    public static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);
}
