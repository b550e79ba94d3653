using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Realtime;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImageMais.Clinic.Tests.ScaleOut;

/// <summary>
/// Messages on the events channel that no instance of this deployment wrote (garbage, another version, another
/// deployment sharing the Redis): none reaches a client, and the account's real events keep flowing.
/// </summary>
public sealed class RedisMessageTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private const string BusCategory = "ImageMais.Clinic.Web.Realtime.RedisEventBus";
    private const string FeedCategory = "ImageMais.Clinic.Realtime.AccountEventFeed";

    private ScaleOutApp A => instances.A;

    private ScaleOutApp B => instances.B;

    [Theory]
    [InlineData("invalid JSON")]
    [InlineData("JSON that is not an envelope")]
    [InlineData("an unknown event name")]
    [InlineData("data that is not a doctor")]
    [InlineData("a doctor of another account")]
    public async Task A_malformed_message_is_logged_and_dropped_and_the_targeted_accounts_client_on_the_other_instance_hears_only_the_real_next_change(string malformed)
    {
        var clinic = await A.CreateApiAccountAsync();
        var other = await A.CreateApiAccountAsync();
        var doctorOfOther = await CrossInstanceDeliveryTests.PostDoctorAsync(A, other.Token);
        await using var onB = await ListenFromStartAsync(B, clinic.Token);
        var doctor = await HeardInOrderAsync(onB, 1, await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token));
        await HeardInOrderAsync(onB, 2, await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token));
        var next = 3;
        var (message, logged) = malformed switch
        {
            "invalid JSON" => ("{\"origin\": \"elsewhere\", \"accountId\": ", "could not be read"),
            "JSON that is not an envelope" => ("[1, 2, 3]", "could not be read"),
            "an unknown event name" => (Envelope(clinic.AccountId, next, "doctors.archived", Impostor(doctor)), $"names doctors.archived of account {clinic.AccountId}, which is not an event"),
            "data that is not a doctor" => (Envelope(clinic.AccountId, next, "doctors.created", JsonValue.Create("Dr. Ninguém")), "could not be read"),
            "a doctor of another account" => (Envelope(clinic.AccountId, next, "doctors.created", doctorOfOther), $"of account {clinic.AccountId} but its data belongs to account {other.AccountId}"),
            _ => throw new ArgumentOutOfRangeException(nameof(malformed), malformed, null),
        };
        var warningsBefore = B.Warnings.Entries.Count;

        await PublishAsync(message);

        var real = await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token);
        await HeardInOrderAsync(onB, next, real);
        await Eventually.UntilAsync(
            () => B.Warnings.Entries.Skip(warningsBefore).Any(e => e.Category == BusCategory && e.Message.Contains(logged, StringComparison.Ordinal)),
            HubListener.Timeout,
            $"B logs a warning containing '{logged}'");

        // Had the message been delivered after all, or the real change twice, it would come before this one.
        var sentinel = await CrossInstanceDeliveryTests.PostDoctorAsync(B, clinic.Token);
        await HeardInOrderAsync(onB, next + 1, sentinel);
        Assert.Empty(onB.Unread());
    }

    [Fact]
    public async Task A_message_numbered_far_ahead_of_the_log_never_reaches_a_client_and_the_accounts_real_changes_keep_arriving_in_order_once()
    {
        var clinic = await A.CreateApiAccountAsync();
        await using var onA = await ListenFromStartAsync(A, clinic.Token);
        await using var onB = await ListenFromStartAsync(B, clinic.Token);
        var doctors = new List<JsonNode>
        {
            await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token),
            await CrossInstanceDeliveryTests.PostDoctorAsync(B, clinic.Token),
        };
        await HeardInOrderAsync(onA, 1, doctors[0]);
        await HeardInOrderAsync(onA, 2, doctors[1]);
        await HeardInOrderAsync(onB, 1, doctors[0]);
        await HeardInOrderAsync(onB, 2, doctors[1]);

        // Well formed, the account's own doctor: only its number gives it away (the log ends at 2).
        await PublishAsync(Envelope(clinic.AccountId, 1000, "doctors.created", Impostor(doctors[0])));
        await WhenDroppedAsync(clinic.AccountId, 1000);

        doctors.Add(await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token));
        doctors.Add(await CrossInstanceDeliveryTests.PostDoctorAsync(B, clinic.Token));
        doctors.Add(await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token));
        for (var seq = 3; seq <= doctors.Count; seq++)
        {
            await HeardInOrderAsync(onA, seq, doctors[seq - 1]);
            await HeardInOrderAsync(onB, seq, doctors[seq - 1]);
        }

        // A client resuming now is told the log's last number, and replayed the real events only.
        await using var resuming = HubListener.Create(B.BaseAddress, clinic.Token);
        await resuming.Connection.StartAsync().WaitAsync(HubListener.Timeout);
        Assert.Equal(new ResumeAnswer(doctors.Count, Reset: false), await resuming.ResumeAsync(2));
        for (var seq = 3; seq <= doctors.Count; seq++)
        {
            await HeardInOrderAsync(resuming, seq, doctors[seq - 1]);
        }

        var sentinel = await CrossInstanceDeliveryTests.PostDoctorAsync(B, clinic.Token);
        await HeardInOrderAsync(onA, doctors.Count + 1, sentinel);
        await HeardInOrderAsync(onB, doctors.Count + 1, sentinel);
        await HeardInOrderAsync(resuming, doctors.Count + 1, sentinel);
        Assert.Empty(onA.Unread());
        Assert.Empty(onB.Unread());
        Assert.Empty(resuming.Unread());
    }

    [Fact]
    public async Task A_message_numbered_just_ahead_of_the_log_is_dropped_once_the_log_shows_no_such_event_and_the_real_event_of_its_number_is_delivered()
    {
        var clinic = await A.CreateApiAccountAsync();
        await using var onA = await ListenFromStartAsync(A, clinic.Token);
        await using var onB = await ListenFromStartAsync(B, clinic.Token);
        var doctors = new List<JsonNode>
        {
            await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token),
            await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token),
        };
        await HeardInOrderAsync(onA, 1, doctors[0]);
        await HeardInOrderAsync(onA, 2, doctors[1]);
        await HeardInOrderAsync(onB, 1, doctors[0]);
        await HeardInOrderAsync(onB, 2, doctors[1]);

        // Number 4 while the log ends at 2: both instances wait for 3, read the log, and find neither.
        await PublishAsync(Envelope(clinic.AccountId, 4, "doctors.created", Impostor(doctors[0])));
        await WhenDroppedAsync(clinic.AccountId, 4);

        doctors.Add(await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token));
        doctors.Add(await CrossInstanceDeliveryTests.PostDoctorAsync(B, clinic.Token));
        doctors.Add(await CrossInstanceDeliveryTests.PostDoctorAsync(A, clinic.Token));
        for (var seq = 3; seq <= doctors.Count; seq++)
        {
            await HeardInOrderAsync(onA, seq, doctors[seq - 1]);
            await HeardInOrderAsync(onB, seq, doctors[seq - 1]);
        }

        Assert.Empty(onA.Unread());
        Assert.Empty(onB.Unread());
    }

    /// <summary>Waits until both instances logged that they dropped event <paramref name="seq"/> of <paramref name="accountId"/>, which the log does not have.</summary>
    private async Task WhenDroppedAsync(int accountId, long seq)
    {
        var dropped = $"Event #{seq} of account {accountId} was offered but the log ends at";
        await Eventually.UntilAsync(
            () => A.Warnings.ContainsWarning(FeedCategory, dropped) && B.Warnings.ContainsWarning(FeedCategory, dropped),
            HubListener.Timeout,
            $"both instances log that they dropped event #{seq} of account {accountId}");
    }

    /// <summary>A client of <paramref name="app"/> that resumed from the account's start: live at once.</summary>
    private static async Task<HubListener> ListenFromStartAsync(ScaleOutApp app, string token)
    {
        var listener = await app.ListenAsync(token);
        Assert.Equal(0, (await listener.ResumeAsync(0)).Last);
        return listener;
    }

    /// <summary>Asserts the next event <paramref name="listener"/> hears is <paramref name="doctor"/>'s creation as event <paramref name="seq"/>.</summary>
    private static async Task<JsonNode> HeardInOrderAsync(HubListener listener, long seq, JsonNode doctor)
    {
        var heard = await listener.NextAsync();
        Assert.Equal((seq, (int)doctor["id"]!, (string?)doctor["name"]), (heard.Seq, (int)heard.Payload!["id"]!, (string?)heard.Payload!["name"]));
        return heard.Payload!;
    }

    /// <summary>Publishes <paramref name="message"/> on the deployment's events channel, as another publisher would; both instances receive it.</summary>
    private async Task PublishAsync(string message)
    {
        var channel = RedisChannel.Literal(B.GetService<IOptions<RedisOptions>>().Value.EventsChannel);
        await instances.WhenSubscribedAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(instances.Redis.ConnectionString);
        Assert.Equal(2, await redis.GetSubscriber().PublishAsync(channel, message));
    }

    /// <summary>A message as an instance writes it, for event <paramref name="seq"/> of <paramref name="accountId"/>, from no instance of this deployment.</summary>
    private static string Envelope(int accountId, long seq, string name, JsonNode data) => new JsonObject
    {
        ["origin"] = "another-deployment",
        ["accountId"] = accountId,
        ["seq"] = seq,
        ["at"] = "2025-01-23T10:30:00.000Z",
        ["name"] = name,
        ["data"] = data.DeepClone(),
        ["traceParent"] = null,
    }.ToJsonString();

    /// <summary>A doctor of the same account as <paramref name="doctor"/> that does not exist.</summary>
    private static JsonNode Impostor(JsonNode doctor)
    {
        var impostor = doctor.DeepClone();
        impostor["id"] = 999_999;
        impostor["name"] = "Dr. Impostor";
        return impostor;
    }
}
