using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Realtime;
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

    /// <summary>The payload types: those of the product's core (Doctor, Procedure, deleted ids).</summary>
    private static bool IsPayload(Type type) => type.Assembly == typeof(AccountEvent).Assembly && !type.IsEnum;

    private sealed class JsonShapedFormatter<T>(JsonSerializerOptions json) : IMessagePackFormatter<T>
    {
        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
        {
            using var document = JsonSerializer.SerializeToDocument(value, json);
            Write(ref writer, document.RootElement);
        }

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            Read(ref reader, options).Deserialize<T>(json)!;

        private static void Write(ref MessagePackWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteMapHeader(element.EnumerateObject().Count());
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

        private static JsonNode? Read(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            options.Security.DepthStep(ref reader);
            try
            {
                switch (reader.NextMessagePackType)
                {
                    case MessagePackType.Nil:
                        reader.ReadNil();
                        return null;
                    case MessagePackType.Boolean:
                        return JsonValue.Create(reader.ReadBoolean());
                    case MessagePackType.Integer:
                        return JsonValue.Create(reader.ReadInt64());
                    case MessagePackType.Float:
                        return JsonValue.Create(reader.ReadDouble());
                    case MessagePackType.String:
                        return JsonValue.Create(reader.ReadString());
                    case MessagePackType.Array:
                        var array = new JsonArray();
                        for (var count = reader.ReadArrayHeader(); count > 0; count--)
                        {
                            array.Add(Read(ref reader, options));
                        }

                        return array;
                    case MessagePackType.Map:
                        var map = new JsonObject();
                        for (var count = reader.ReadMapHeader(); count > 0; count--)
                        {
                            var key = reader.ReadString() ?? throw new MessagePackSerializationException("A map key must be a string.");
                            map[key] = Read(ref reader, options);
                        }

                        return map;
                    default:
                        throw new MessagePackSerializationException($"Unexpected {reader.NextMessagePackType} in a {typeof(T).Name}.");
                }
            }
            finally
            {
                reader.Depth--;
            }
        }
    }
}
