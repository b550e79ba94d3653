using System.Collections.Concurrent;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// Makes the hub's MessagePack payloads the same shape as its JSON ones (and the REST API's): the product's
/// payload types are written through System.Text.Json with the API's options, then as MessagePack maps,
/// arrays, strings and numbers. So a MessagePack client sees <c>{ id, name, price: "100", createdAt: "…Z" }</c>,
/// not the PascalCase keys, raw decimals and timestamps that MessagePack's contractless resolver would give.
/// </summary>
public sealed class JsonShapedMessagePackResolver(JsonSerializerOptions jsonOptions) : IFormatterResolver
{
    private readonly ConcurrentDictionary<Type, object?> _formatters = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() =>
        (IMessagePackFormatter<T>?)_formatters.GetOrAdd(
            typeof(T),
            static (type, json) => IsPayload(type) ? new JsonShapedFormatter<T>(json) : null,
            jsonOptions);

    /// <summary>The payload types: an event's data and metadata, and what <c>Resume</c> answers.</summary>
    private static bool IsPayload(Type type) => type == typeof(EventData) || type == typeof(EventMetadata) || type == typeof(ResumeResult);

    private sealed class JsonShapedFormatter<T>(JsonSerializerOptions json) : IMessagePackFormatter<T>
    {
        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
        {
            using var document = JsonSerializer.SerializeToDocument(value, json);
            Write(ref writer, document.RootElement);
        }

        /// <summary>
        /// Never called: the hub has no methods a client can invoke and the server asks clients for no results,
        /// so a payload type only ever travels from server to client.
        /// </summary>
        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            throw new NotSupportedException($"A {typeof(T).Name} is only ever sent to clients, never read from them.");

        private static void Write(ref MessagePackWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteMapHeader(element.GetPropertyCount());
                    foreach (var property in element.EnumerateObject())
                    {
                        writer.Write(property.Name);
                        Write(ref writer, property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    writer.WriteArrayHeader(element.GetArrayLength());
                    foreach (var item in element.EnumerateArray())
                    {
                        Write(ref writer, item);
                    }

                    break;
                case JsonValueKind.String:
                    writer.Write(element.GetString());
                    break;
                case JsonValueKind.Number when element.TryGetInt64(out var integer):
                    writer.Write(integer);
                    break;
                case JsonValueKind.Number:
                    writer.Write(element.GetDouble());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    writer.Write(element.GetBoolean());
                    break;
                default:
                    writer.WriteNil();
                    break;
            }
        }
    }
}
