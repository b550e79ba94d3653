using System.Text.Json.Nodes;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>
/// The hub's <c>Resume(after)</c>: a client that was away gets the events it missed from the account's log, in
/// order, then the live ones, none twice and none lost, whatever the transport and protocol and however busy the
/// account is meanwhile.
/// </summary>
public sealed class HubResumeTests(RealtimeApp app) : IClassFixture<RealtimeApp>
{
    private readonly AccountEventLog _log = app.GetService<AccountEventLog>();

    [Theory]
    [InlineData(HttpTransportType.WebSockets, HubProtocol.Json)]
    [InlineData(HttpTransportType.ServerSentEvents, HubProtocol.Json)]
    [InlineData(HttpTransportType.LongPolling, HubProtocol.Json)]
    [InlineData(HttpTransportType.WebSockets, HubProtocol.MessagePack)]
    [InlineData(HttpTransportType.LongPolling, HubProtocol.MessagePack)]
    public async Task Resuming_after_a_seq_replays_the_later_events_in_order_then_the_live_ones_on_every_transport_and_protocol(HttpTransportType transport, HubProtocol protocol)
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        var doctors = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            doctors.Add(await changes.CreateDoctorAsync());
        }

        Assert.Equal(3, await _log.LastSeqAsync(account.AccountId));
        await using var listener = await HubListener.ConnectAsync(app, account.Token, transport, protocol);

        var answer = await listener.ResumeAsync(1);

        Assert.Equal(new ResumeAnswer(3, Reset: false), answer);
        await AssertNextAsync(listener, 2, AccountEventNames.DoctorsCreated, doctors[1]);
        await AssertNextAsync(listener, 3, AccountEventNames.DoctorsCreated, doctors[2]);
        var live = await changes.PatchDoctorAsync((int)doctors[0]["id"]!, new JsonObject { ["isBusy"] = true });
        await AssertNextAsync(listener, 4, AccountEventNames.DoctorsUpdated, live);
        var sentinel = await changes.CreateDoctorAsync();
        await AssertNextAsync(listener, 5, AccountEventNames.DoctorsCreated, sentinel);
        Assert.Empty(listener.Unread());
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_connection_resuming_while_doctors_are_created_as_fast_as_possible_gets_every_later_event_once_in_order(HttpTransportType transport)
    {
        const int AtLeast = 60;
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        var created = 0;
        var createdWhenResumed = -1;
        var fifteenCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Sixty at least, and ten more once the resume has been answered: live traffic before, during and after it.
        var creating = Task.Run(async () =>
        {
            while (created < AtLeast || Volatile.Read(ref createdWhenResumed) is var atResume && (atResume < 0 || created < atResume + 10))
            {
                await changes.CreateDoctorAsync();
                if (Interlocked.Increment(ref created) == 15)
                {
                    fifteenCreated.SetResult();
                }
            }
        });

        await fifteenCreated.Task.WaitAsync(HubListener.Timeout);
        await using var listener = await HubListener.ConnectAsync(app, account.Token, transport);
        var answer = await listener.ResumeAsync(5);
        Volatile.Write(ref createdWhenResumed, Volatile.Read(ref created));
        await creating.WaitAsync(TimeSpan.FromSeconds(60));

        var last = await _log.LastSeqAsync(account.AccountId);
        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < last)
        {
            seqs.Add((await listener.NextAsync()).Seq);
        }

        Assert.Equal(created, last);
        Assert.Equal(Enumerable.Range(6, (int)last - 5).Select(s => (long)s), seqs);
        Assert.Empty(listener.Unread());
        Assert.False(answer.Reset);

        // The doctor whose request was under way may have been sent before its creator heard back.
        Assert.InRange(answer.Last, 15, createdWhenResumed + 1);
    }

    [Fact]
    public async Task A_connection_that_never_resumes_gets_every_event_committed_from_its_connection_on_even_in_its_first_second()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        await changes.CreateDoctorAsync();
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        // Right away, well within the moment a new connection waits for a Resume before it goes live.
        var doctors = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            doctors.Add(await changes.CreateDoctorAsync());
        }

        await AssertNextAsync(listener, 2, AccountEventNames.DoctorsCreated, doctors[0]);
        await AssertNextAsync(listener, 3, AccountEventNames.DoctorsCreated, doctors[1]);
        await AssertNextAsync(listener, 4, AccountEventNames.DoctorsCreated, doctors[2]);
        var sentinel = await changes.CreateDoctorAsync();
        await AssertNextAsync(listener, 5, AccountEventNames.DoctorsCreated, sentinel);
        Assert.Empty(listener.Unread());
    }

    [Fact]
    public async Task Resuming_after_a_seq_the_account_never_reached_answers_a_reset_with_the_latest_seq_and_live_events_follow()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        await changes.CreateDoctorAsync();
        await changes.CreateDoctorAsync();
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var answer = await listener.ResumeAsync(10);

        Assert.Equal(new ResumeAnswer(2, Reset: true), answer);
        var live = await changes.CreateDoctorAsync();
        await AssertNextAsync(listener, 3, AccountEventNames.DoctorsCreated, live);
        Assert.Empty(listener.Unread());
    }

    [Fact]
    public async Task A_live_connection_resuming_again_past_the_log_gets_a_reset_and_keeps_hearing_live_events()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        await using var listener = await HubListener.ConnectAsync(app, account.Token);
        Assert.Equal(new ResumeAnswer(0, Reset: false), await listener.ResumeAsync(0));
        var first = await changes.CreateDoctorAsync();
        await AssertNextAsync(listener, 1, AccountEventNames.DoctorsCreated, first);

        Assert.Equal(new ResumeAnswer(1, Reset: true), await listener.ResumeAsync(999));
        Assert.Equal(new ResumeAnswer(1, Reset: false), await listener.ResumeAsync(1));

        var second = await changes.CreateDoctorAsync();
        await AssertNextAsync(listener, 2, AccountEventNames.DoctorsCreated, second);
        Assert.Empty(listener.Unread());
    }

    [Fact]
    public async Task A_client_back_on_a_new_connection_resumes_from_its_last_seq_and_gets_exactly_what_it_missed_then_live()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        long lastHeard;
        JsonObject first;
        await using (var before = await HubListener.ConnectAsync(app, account.Token))
        {
            Assert.Equal(new ResumeAnswer(0, Reset: false), await before.ResumeAsync(0));
            first = await changes.CreateDoctorAsync();
            var second = await changes.CreateDoctorAsync();
            await AssertNextAsync(before, 1, AccountEventNames.DoctorsCreated, first);
            lastHeard = (await AssertNextAsync(before, 2, AccountEventNames.DoctorsCreated, second)).Seq;
        }

        // While the client is away.
        var firstId = (int)first["id"]!;
        var patched = await changes.PatchDoctorAsync(firstId, new JsonObject { ["isBusy"] = true });
        await changes.DeleteDoctorAsync(firstId);
        var procedure = await changes.CreateProcedureAsync("Ecocardiograma", 320.75m);

        await using var after = await HubListener.ConnectAsync(app, account.Token);
        var answer = await after.ResumeAsync(lastHeard);

        Assert.Equal(new ResumeAnswer(5, Reset: false), answer);
        await AssertNextAsync(after, 3, AccountEventNames.DoctorsUpdated, patched);
        await AssertNextAsync(after, 4, AccountEventNames.DoctorsDeleted, changes.Deleted(firstId));
        await AssertNextAsync(after, 5, AccountEventNames.ProceduresCreated, procedure);
        var live = await changes.CreateDoctorAsync();
        await AssertNextAsync(after, 6, AccountEventNames.DoctorsCreated, live);
        Assert.Empty(after.Unread());
    }

    internal static async Task<ReceivedEvent> AssertNextAsync(HubListener listener, long seq, string name, JsonNode expected)
    {
        var received = await listener.NextAsync();
        Assert.Equal((seq, name), (received.Seq, received.Name));
        Assert.True(JsonNode.DeepEquals(expected, received.Payload), $"Expected {expected.ToJsonString()}\nbut got  {received.Payload?.ToJsonString()}");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", received.At);
        return received;
    }
}

/// <summary>
/// Resume once the events asked for are no longer kept. Pruning deletes every account's old events, so these
/// tests have an app of their own.
/// </summary>
public sealed class HubResumeAfterPruningTests(RealtimeApp app) : IClassFixture<RealtimeApp>
{
    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public async Task Resuming_from_pruned_events_answers_a_reset_with_the_latest_seq_and_live_events_follow(int missed)
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        for (var i = 0; i < missed; i++)
        {
            await changes.CreateDoctorAsync();
        }

        Assert.True(await app.GetService<AccountEventLog>().PruneAsync(DateTime.UtcNow.AddMinutes(1)) >= missed);
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var answer = await listener.ResumeAsync(0);

        Assert.Equal(new ResumeAnswer(missed, Reset: true), answer);
        var live = await changes.CreateDoctorAsync();
        await HubResumeTests.AssertNextAsync(listener, missed + 1, AccountEventNames.DoctorsCreated, live);
        Assert.Empty(listener.Unread());
    }
}
