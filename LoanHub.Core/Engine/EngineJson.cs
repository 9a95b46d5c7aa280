using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Engine;

/// <summary>
/// The JSON shape of everything the engine stores or loads: camelCase (read case-insensitively, so
/// PascalCase configuration also loads), enums by name, identifiers as plain GUID strings, and a
/// converter for <see cref="CommissionContract"/>, which builds only through its validating factories.
/// </summary>
public static class EngineJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters =
            {
                new JsonStringEnumConverter(),
                new CommissionContractConverter(),
                new IdConverter<ProductId>(g => new ProductId(g), id => id.Value),
                new IdConverter<LenderId>(g => new LenderId(g), id => id.Value),
                new IdConverter<ApplicationId>(g => new ApplicationId(g), id => id.Value),
            },
        };
        // Shared by every caller; freezing it means no one can change how records are stored at run time.
        options.MakeReadOnly();
        return options;
    }

    private sealed class IdConverter<T>(Func<Guid, T> wrap, Func<T, Guid> unwrap) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => wrap(reader.GetGuid());

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(unwrap(value));
    }

    private sealed class CommissionContractConverter : JsonConverter<CommissionContract>
    {
        private sealed record Shape(CommissionModel Model, decimal Amount, decimal Rate);

        public override CommissionContract Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var shape = JsonSerializer.Deserialize<Shape>(ref reader, options) ?? throw new JsonException("A commission contract cannot be null.");
            return CommissionContract.Create(shape.Model, shape.Amount, shape.Rate);
        }

        public override void Write(Utf8JsonWriter writer, CommissionContract value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new Shape(value.Model, value.Amount, value.Rate), options);
    }
}
