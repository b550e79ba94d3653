using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ImageMais.Clinic.Web.Api;

/// <summary>A request body that could not be used, and the problem response that says why.</summary>
public interface IRejectableBody
{
    IResult? Problem { get; }
}

/// <summary>
/// A JSON request body of type <typeparamref name="T"/>, read by the API itself instead of the framework's binder,
/// whose answer to a bad body is a bare 400. Here a bad body gets a problem response: malformed JSON or a body
/// that is not an object → 400 with <c>errors.body</c>; a value of the wrong JSON type → 400 with the error under
/// the field's camelCase name (<c>{"isBusy":"yes"}</c> → <c>errors.isBusy</c>); over
/// <see cref="MaxBytes"/> → 413; not <c>application/json</c> → 415. The API group's filter answers with
/// <see cref="Problem"/> before the handler runs, so a handler only ever sees a readable <see cref="Value"/>.
/// </summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "BindAsync and PopulateMetadata are the framework's binding and metadata conventions, found on the parameter's own type.")]
public sealed class JsonBody<T> : IRejectableBody, IEndpointParameterMetadataProvider
    where T : class
{
    private readonly T? _value;

    private JsonBody(T? value, IResult? problem)
    {
        _value = value;
        Problem = problem;
    }

    /// <summary>The largest body the API reads: 1 MB.</summary>
    public const long MaxBytes = 1024 * 1024;

    public T Value => _value ?? throw new InvalidOperationException("The body was rejected; the API's body filter should have answered with its problem.");

    public IResult? Problem { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var messages = context.RequestServices.GetRequiredService<IStringLocalizer<ApiMessages>>();
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var (body, problem) = await JsonBodyReader.ReadAsync(context, MaxBytes, messages);
        if (problem is not null)
        {
            return new JsonBody<T>(null, problem);
        }

        using (body)
        {
            try
            {
                var value = JsonSerializer.Deserialize<T>(body!.Json, json);
                return value is null
                    ? new JsonBody<T>(null, JsonBodyReader.BodyError(messages, ApiMessages.BodyNotAnObject))
                    : new JsonBody<T>(value, null);
            }
            catch (JsonException ex)
            {
                var field = JsonBodyReader.FieldOf(ex.Path, json.GetTypeInfo(typeof(T)));
                var expected = messages[JsonBodyReader.TypeNameKey(field?.PropertyType)];
                return new JsonBody<T>(null, JsonBodyReader.FieldError(messages, field?.Name ?? JsonBodyReader.BodyField, messages[ApiMessages.WrongType, expected]));
            }
        }
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), [ApiProblems.ContentType]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), [ApiProblems.ContentType]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status415UnsupportedMediaType, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), [ApiProblems.ContentType]));
    }
}

/// <summary>Reads and parses request bodies for <see cref="JsonBody{T}"/>; the parts that do not depend on the type.</summary>
internal static class JsonBodyReader
{
    /// <summary>The key of errors about the body as a whole rather than one field.</summary>
    public const string BodyField = "body";

    public static async Task<(PooledBody? Body, IResult? Problem)> ReadAsync(HttpContext context, long maxBytes, IStringLocalizer<ApiMessages> messages)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes, messages));
        }

        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        if (!canHaveBody || request.ContentLength == 0)
        {
            return (null, BodyError(messages, ApiMessages.BodyRequired));
        }

        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(detail: messages[ApiMessages.BodyNotJson], statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        // Kestrel enforces the limit itself on bodies without a Content-Length; the copy below checks again in
        // case the limit could no longer be changed.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        var body = new PooledBody(request.ContentLength is { } length ? (int)length : 0);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(body.FreeSpace(), context.RequestAborted)) > 0)
            {
                body.Advance(read);
                if (body.Length > maxBytes)
                {
                    body.Dispose();
                    return (null, TooLarge(maxBytes, messages));
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            return (null, TooLarge(maxBytes, messages));
        }
        catch
        {
            body.Dispose();
            throw;
        }

        if (body.Length == 0)
        {
            body.Dispose();
            return (null, BodyError(messages, ApiMessages.BodyRequired));
        }

        // One pass of the reader checks the syntax (so a malformed body is told as such, not as a wrong field
        // type) and the root token; the value is then deserialized once, from the same bytes.
        var reader = new Utf8JsonReader(body.Json);
        JsonTokenType root;
        try
        {
            reader.Read();
            root = reader.TokenType;
            reader.Skip();

            // Past the root value only whitespace may follow; the reader refuses anything else.
            reader.Read();
        }
        catch (JsonException ex)
        {
            body.Dispose();
            return (null, BodyError(messages, ApiMessages.BodyMalformed, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1));
        }

        if (root != JsonTokenType.StartObject)
        {
            body.Dispose();
            return (null, BodyError(messages, ApiMessages.BodyNotAnObject));
        }

        return (body, null);
    }

    public static ValidationProblem BodyError(IStringLocalizer<ApiMessages> messages, string messageKey, params object[] arguments) =>
        FieldError(messages, BodyField, messages[messageKey, arguments]);

    public static ValidationProblem FieldError(IStringLocalizer<ApiMessages> messages, string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: messages[ApiMessages.InvalidTitle]);

    /// <summary>
    /// The property a deserialization error's path points into (<c>$.isBusy</c>, <c>$.procedureIds[1]</c>,
    /// <c>$['name']</c>), by its JSON name whatever case the client used; null when the path names no property.
    /// </summary>
    public static JsonPropertyInfo? FieldOf(string? path, JsonTypeInfo type)
    {
        if (string.IsNullOrEmpty(path) || path.Length < 2 || path[0] != '$')
        {
            return null;
        }

        string name;
        if (path[1] == '.')
        {
            var end = path.IndexOfAny(['.', '['], 2);
            name = end < 0 ? path[2..] : path[2..end];
        }
        else if (path.StartsWith("$['", StringComparison.Ordinal) && path.IndexOf("']", 3, StringComparison.Ordinal) is var close and > 3)
        {
            name = path[3..close];
        }
        else
        {
            return null;
        }

        return type.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The resource naming the JSON type a property of <paramref name="type"/> expects.</summary>
    public static string TypeNameKey(Type? type)
    {
        var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            null => ApiMessages.TypeOther,
            _ when underlying == typeof(string) => ApiMessages.TypeString,
            _ when underlying == typeof(bool) => ApiMessages.TypeBoolean,
            _ when underlying == typeof(int) || underlying == typeof(long) => ApiMessages.TypeInteger,
            _ when underlying == typeof(decimal) => ApiMessages.TypePrice,
            _ when typeof(IEnumerable<int>).IsAssignableFrom(underlying) => ApiMessages.TypeIntegerList,
            _ => ApiMessages.TypeOther,
        };
    }

    private static ProblemHttpResult TooLarge(long maxBytes, IStringLocalizer<ApiMessages> messages) =>
        TypedResults.Problem(detail: messages[ApiMessages.BodyTooLarge, maxBytes], statusCode: StatusCodes.Status413PayloadTooLarge);

}

/// <summary>A request body held in a buffer rented from the shared pool, returned on dispose.</summary>
internal sealed class PooledBody : IDisposable
{
    private const int FirstSize = 16 * 1024;

    private byte[] _buffer;

    /// <param name="expectedLength">The declared length, when known: enough room at once, and one byte more to see the end.</param>
    public PooledBody(int expectedLength) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(FirstSize, expectedLength + 1));

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Json => _buffer.AsSpan(0, Length);

    /// <summary>Room for the next read, growing the buffer when full.</summary>
    public Memory<byte> FreeSpace()
    {
        if (Length == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            Length = 0;
        }
    }
}
