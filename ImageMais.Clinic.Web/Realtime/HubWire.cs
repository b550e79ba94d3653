using System.Text.Json;
using System.Text.Json.Serialization;
using ImageMais.Clinic.Features.Json;
using ImageMais.Clinic.Realtime;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// An event's argument on the hub: the JSON the REST API answered, written once per event (<see cref="AccountEvent.Data"/>)
/// and sent as it is to every connection.
/// </summary>
[JsonConverter(typeof(EventDataJsonConverter))]
public sealed record EventData(ReadOnlyMemory<byte> Json)
{
    private sealed class EventDataJsonConverter : JsonConverter<EventData>
    {
        public override EventData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new EventData(JsonSerializer.SerializeToUtf8Bytes(document.RootElement));
        }

        public override void Write(Utf8JsonWriter writer, EventData value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
    }
}

/// <summary>The second argument of every event message: the event's number in its account's log and its commit time.</summary>
public sealed record EventMetadata(long Seq, [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime At)
{
    public static EventMetadata Of(AccountEvent accountEvent) => new(accountEvent.Seq, accountEvent.At);
}

/// <summary>
/// What <c>Resume</c> answers: the number of the last event sent before the connection went live, and whether the
/// events the client asked for are no longer kept (it must then reload through the REST API).
/// </summary>
public sealed record ResumeResult(
    long Last,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Reset = false);
