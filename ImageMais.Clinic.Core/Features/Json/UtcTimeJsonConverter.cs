using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageMais.Clinic.Features.Json;

/// <summary>UTC times as the API speaks them: ISO 8601 with milliseconds and <c>Z</c> (<c>2025-01-23T10:30:00.000Z</c>).</summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AsUtc(reader.GetDateTime());

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(AsUtc(value).ToString(Format, CultureInfo.InvariantCulture));

    /// <summary>
    /// A time without a zone is UTC here, as every stored time is; <c>ToUniversalTime</c> alone would take it as the
    /// server's local time and shift it by the server's offset (three hours on a server in Brazil).
    /// </summary>
    private static DateTime AsUtc(DateTime value) =>
        value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
}
