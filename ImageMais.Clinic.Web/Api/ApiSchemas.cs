using System.Text.Json.Serialization;
using ImageMais.Clinic.Features.Json;
using ImageMais.Clinic.Features.Procedures;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageMais.Clinic.Web.Api;

/// <summary>
/// The schema of values the API writes through its own converters, which the document generator cannot see
/// into: prices (a string out; a number or a string in), UTC times, and an event's data (the JSON it carries).
/// </summary>
internal static class ApiSchemas
{
    public static Task DescribeConvertedValues(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(Realtime.EventData))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Properties?.Clear();
            schema.Required?.Clear();
            schema.Description = "The event's argument, as the hub sends it: a Doctor (doctors.created / doctors.updated), " +
                "a Procedure (procedures.created / procedures.updated), or { id, accountId } (doctors.deleted / procedures.deleted).";
            return Task.CompletedTask;
        }

        // The converter is read from the attribute: on a nullable property the serializer wraps it in another.
        var converter = context.JsonPropertyInfo?.AttributeProvider?
            .GetCustomAttributes(typeof(JsonConverterAttribute), inherit: true)
            .OfType<JsonConverterAttribute>()
            .Select(a => a.ConverterType)
            .FirstOrDefault();
        switch (converter)
        {
            case not null when converter == typeof(PriceJsonConverter) && context.JsonPropertyInfo!.DeclaringType == typeof(ProcedureInput):
                schema.Type = JsonSchemaType.Number | JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = null;
                schema.Description = "A decimal with at most two places, as a number or an invariant string: 110.5 or \"110.5\".";
                break;
            case not null when converter == typeof(PriceJsonConverter):
                schema.Type = JsonSchemaType.String;
                schema.Format = "decimal";
                schema.Pattern = @"^\d+(\.\d{1,2})?$";
                schema.Description = "A decimal in invariant culture without trailing zeros: \"100\", \"110.5\".";
                break;
            case not null when converter == typeof(UtcTimeJsonConverter):
                schema.Type = JsonSchemaType.String;
                schema.Format = "date-time";
                schema.Description = "UTC, with milliseconds: \"2025-01-23T10:30:00.000Z\".";
                break;
        }

        return Task.CompletedTask;
    }
}
