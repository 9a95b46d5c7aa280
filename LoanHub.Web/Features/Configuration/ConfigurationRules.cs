using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Configuration;

/// <summary>
/// What a configuration file may carry before the importer reads it: every field present where required, text
/// clean and in NFC, amounts and counts under the ceilings of <see cref="InputRules"/>, enum values that exist,
/// lists of a sensible length. The domain types then check their own rules (minimum ≤ maximum, term and age ranges,
/// weights, the CPS rate, known provinces …).
/// A breach is a <see cref="ConfigurationException"/> naming the entry and the field.
/// </summary>
public static class ConfigurationRules
{
    public const int MaxEntries = 1_000;
    public const int MaxProductsPerLender = 200;
    public const int MaxUrlLength = 2_048;

    /// <summary><paramref name="document"/> with its text normalised, or a <see cref="ConfigurationException"/>.</summary>
    public static ConfigurationDocument Checked(ConfigurationDocument document) => document with
    {
        Sources = [.. Entries(document.Sources, "sources", MaxEntries).Select((s, i) => Source(s, $"sources[{i}]"))],
        Lenders = [.. Entries(document.Lenders, "lenders", MaxEntries).Select((l, i) => Lender(l, $"lenders[{i}]"))],
        Routing = document.Routing is { } routing ? new RoutingDocument(Defined(routing.Strategy, "routing", "strategy")) : null,
    };

    private static SourceDocument Source(SourceDocument? doc, string where)
    {
        if (doc is null) throw Problem(where, "is empty");
        where = Named(where, doc.Code);
        return doc with { Code = Text(doc.Code, where, "code", 32), Name = Text(doc.Name, where, "name", 100), ApiKey = Key(doc.ApiKey, where, "apiKey") };
    }

    private static LenderDocument Lender(LenderDocument? doc, string where)
    {
        if (doc is null) throw Problem(where, "is empty");
        where = Named(where, doc.Code);
        return doc with
        {
            Code = Text(doc.Code, where, "code", 32),
            Name = Text(doc.Name, where, "name", 100),
            ApiKey = Key(doc.ApiKey, where, "apiKey"),
            Products = doc.Products is null ? null
                : [.. Entries(doc.Products, $"{where} products", MaxProductsPerLender).Select((p, i) => Product(p, $"{where} products[{i}]"))],
            Delivery = doc.Delivery is { } delivery ? Delivery(delivery, $"{where} delivery") : null,
        };
    }

    private static DeliveryDocument Delivery(DeliveryDocument doc, string where) => doc with
    {
        PrecheckUrl = OptionalText(doc.PrecheckUrl, where, "precheckUrl", MaxUrlLength),
        PostUrl = OptionalText(doc.PostUrl, where, "postUrl", MaxUrlLength),
        Secret = Key(doc.Secret, where, "secret"),
    };

    private static ProductDocument Product(ProductDocument? doc, string where)
    {
        if (doc is null) throw Problem(where, "is empty");
        where = Named(where, doc.Code);
        Money(doc.MinAmount, where, "minAmount");
        Money(doc.MaxAmount, where, "maxAmount");
        Money(doc.MinMonthlyIncome, where, "minMonthlyIncome");
        if (doc.MonthlyBudget is { } budget) Money(budget, where, "monthlyBudget");
        if (doc.DailyCap is { } cap) Count(cap, 0, InputRules.MaxCount, where, "dailyCap");
        if (doc.Commission is not { } commission) throw Problem(where, "commission: is required");
        Defined(commission.Model, where, "commission.model");
        if (commission.Amount is { } amount) Money(amount, where, "commission.amount");
        if (commission.MinPrice is { } minPrice) Money(minPrice, where, "commission.minPrice");
        if (doc.Apr is { } apr && AprRange.ProblemWith(apr.Min, apr.Max) is { } aprProblem) throw Problem(where, $"apr: {aprProblem}");
        return doc with
        {
            Code = Text(doc.Code, where, "code", 32),
            Name = Text(doc.Name, where, "name", 100),
            Type = Defined(doc.Type, where, "type"),
            MaxTier = Defined(doc.MaxTier, where, "maxTier"),
            Provinces = doc.Provinces is null ? null : [.. Entries(doc.Provinces, $"{where} provinces", 64).Select(p => Text(p, where, "provinces", 2))],
            Employment = doc.Employment is null ? null : [.. Entries(doc.Employment, $"{where} employment", 64).Select(e => Defined(e, where, "employment"))],
            Purposes = doc.Purposes is null ? null : [.. Entries(doc.Purposes, $"{where} purposes", 64).Select(p => Defined(p, where, "purposes"))],
        };
    }

    private static List<T> Entries<T>(List<T>? list, string what, int max) =>
        list is null ? []
        : list.Count > max ? throw Problem(what, $"may have at most {max:N0} entries")
        : list;

    private static string Text(string? value, string where, string field, int max) =>
        OptionalText(value, where, field, max) is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text : throw Problem(where, $"{field}: is required");

    private static string? OptionalText(string? value, string where, string field, int max)
    {
        if (value is null) return null;
        if (value.Length > max) throw Problem(where, $"{field}: must be at most {max:N0} characters");
        if (InputRules.ProblemWith(value) is { } problem) throw Problem(where, $"{field}: {problem}");
        return InputRules.Normalized(value);
    }

    /// <summary>Keys and secrets are compared by their hash or bytes: printable ASCII only, so no two spellings of one key exist.</summary>
    private static string? Key(string? value, string where, string field)
    {
        if (value is null) return null;
        if (value.Length > 256 || !value.All(c => c is >= '!' and <= '~')) throw Problem(where, $"{field}: must be at most 256 printable ASCII characters without spaces");
        return value;
    }

    private static void Money(decimal amount, string where, string field)
    {
        if (InputRules.MoneyProblem(amount) is { } problem) throw Problem(where, $"{field}: {problem}");
    }

    private static void Count(long value, long min, long max, string where, string field)
    {
        if (InputRules.CountProblem(value, min, max) is { } problem) throw Problem(where, $"{field}: {problem}");
    }

    private static T Defined<T>(T value, string where, string field) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw Problem(where, $"{field}: must be one of {string.Join(", ", Enum.GetNames<T>())}");

    // The entry by its code when the code is printable, by its position otherwise: the message never echoes hostile text.
    private static string Named(string where, string? code) =>
        code is { Length: > 0 and <= 32 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $"{where} ({code})" : where;

    private static ConfigurationException Problem(string where, string problem) => new($"{where}: {problem}");
}
