using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageMais.Clinic.Features.Json;

/// <summary>
/// A price as the API speaks it: written as a JSON string in invariant culture without trailing zeros
/// (<c>"100"</c>, <c>"110.5"</c>); read from a JSON number or such a string.
/// </summary>
public sealed class PriceJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDecimal(out var number):
                return number;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw new JsonException("The price must be a number or a string such as \"110.5\".");
            default:
                throw new JsonException("The price must be a number or a string such as \"110.5\".");
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    /// <summary>Invariant text without trailing zeros: 100.00 → "100", 110.50 → "110.5".</summary>
    public static string Format(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
