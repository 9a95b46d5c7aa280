using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

/// <summary>Stores an immutable value object as one JSON text column; it is loaded whole, never queried into.</summary>
internal static class JsonColumn
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class =>
        property.HasJsonConversion(v => v, v => v);

    /// <summary>With a serialisable stand-in <typeparamref name="TJson"/> for types that validate in their constructors.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T, TJson>(this PropertyBuilder<T> property, Func<T, TJson> toJson, Func<TJson, T> fromJson)
        where T : class
    {
        property.HasConversion(
            v => JsonSerializer.Serialize(toJson(v), Options),
            v => fromJson(JsonSerializer.Deserialize<TJson>(v, Options)!),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(toJson(a!), Options) == JsonSerializer.Serialize(toJson(b!), Options),
                v => JsonSerializer.Serialize(toJson(v), Options).GetHashCode(),
                v => v));
        return property;
    }

    /// <summary>A list of strings as its column holds it; most lists (an applicant's fraud signals) are empty.</summary>
    public static IReadOnlyList<string> StringList(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json, Options) ?? [];

    public static PropertyBuilder<IReadOnlyList<string>> HasJsonConversion(this PropertyBuilder<IReadOnlyList<string>> property)
    {
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            v => StringList(v),
            new ValueComparer<IReadOnlyList<string>>(
                (a, b) => a!.SequenceEqual(b!),
                v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode())),
                v => v.ToArray()));
        return property;
    }
}
