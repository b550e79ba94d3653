using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ImageMais.Clinic.Features.Json;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Web.Api;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ImageMais.Clinic.Web.Endpoints;

/// <summary>
/// <c>/api/events</c>: the account's event log, for integrations that poll instead of listening on the hub. The same
/// events, numbers and data as the hub's messages.
/// </summary>
public static class EventsEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("Events");
        events.MapGet("/", ListEvents)
            .WithName(nameof(ListEvents))
            .WithSummary("Read the account's events after a number")
            .WithDescription("The account's events numbered after `after` (default 0), in order, at most `limit` (1–1000, default 100), " +
                "and `last`, the account's latest number: ask again with `after` set to the last `seq` received until it reaches `last`. " +
                "`410` when events after `after` are no longer kept (`Events:RetentionDays`): reload through the API and carry on from `last`.")
            .AddOpenApiOperationTransformer(DescribeQuery);
        return events;
    }

    /// <summary>The query is read as text so that a bad value gets the API's problem details; it is described as the numbers it must be.</summary>
    private static Task DescribeQuery(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            (parameter.Schema, parameter.Description) = parameter.Name switch
            {
                "after" => (new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Default = JsonValue.Create(0) }, "The last `seq` already received (0: from the first event kept)."),
                "limit" => (new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = MaxLimit.ToString(CultureInfo.InvariantCulture), Default = JsonValue.Create(DefaultLimit) }, "At most this many events (1–1000)."),
                _ => (parameter.Schema, parameter.Description),
            };
        }

        return Task.CompletedTask;
    }

    public static async Task<Results<Ok<EventList>, ValidationProblem, GoneProblem>> ListEvents(
        string? after,
        string? limit,
        ClaimsPrincipal user,
        AccountEventLog log,
        IOptions<EventLogOptions> options,
        IStringLocalizer<ApiMessages> messages,
        CancellationToken cancellationToken)
    {
        if (!TryParse(after, 0, out var afterSeq) || afterSeq < 0)
        {
            return JsonBodyReader.FieldError(messages, "after", messages[ApiMessages.EventsAfterInvalid]);
        }

        if (!TryParse(limit, DefaultLimit, out var count) || count is < 1 or > MaxLimit)
        {
            return JsonBodyReader.FieldError(messages, "limit", messages[ApiMessages.EventsLimitInvalid]);
        }

        var page = await log.ReadAsync(user.GetAccountId(), afterSeq, (int)count, cancellationToken);
        if (page.Gone)
        {
            return new GoneProblem(new ProblemDetails
            {
                Detail = afterSeq > page.Last
                    ? messages[ApiMessages.EventsAhead, afterSeq, page.Last]
                    : messages[ApiMessages.EventsGone, afterSeq, options.Value.RetentionDays, page.Last],
                Extensions = { ["last"] = page.Last },
            });
        }

        return TypedResults.Ok(new EventList([.. page.Events.Select(e => new EventItem(e.Seq, e.Name, e.At, new EventData(e.Data)))], page.Last));
    }

    private static bool TryParse(string? text, long fallback, out long value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>A page of the account's events and its latest number.</summary>
public sealed record EventList(IReadOnlyList<EventItem> Events, long Last);

/// <summary>One event: its number, name, commit time and data (what the hub sends as its argument).</summary>
public sealed record EventItem(
    long Seq,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime At,
    EventData Data);
