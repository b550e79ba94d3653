using System.Collections.Concurrent;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>The instance's event feed over a real SQLite log: order, exactly once, gaps and sweeps filled from the log.</summary>
public sealed class AccountEventFeedTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly AccountEventLog _log = database.Services.GetRequiredService<AccountEventLog>();

    [Fact]
    public async Task A_subscriber_hears_each_event_after_its_start_once_in_order_however_they_are_offered()
    {
        var account = await database.Services.CreateAccountAsync();
        var feed = NewFeed();
        var heard = new Heard();
        using var subscription = await feed.SubscribeAsync(account.AccountId, heard.Add);
        var committed = await CommitProceduresAsync(account.AccountId, 20, silent: true);

        // Shuffled, with repeats: what Redis, the local commit and the log may together bring.
        foreach (var accountEvent in committed.AsEnumerable().Reverse().Concat(committed).Concat(committed.Take(5)))
        {
            feed.Offer(accountEvent);
        }

        await Eventually.UntilAsync(() => heard.Count >= 20, Timeout, "the 20 events");
        Assert.Equal(committed.Select(e => e.Seq), heard.Seqs);
        Assert.Equal(subscription.Start + 1, heard.Seqs[0]);
    }

    [Fact]
    public async Task A_gap_is_filled_from_the_log_when_the_missing_events_are_never_offered()
    {
        var account = await database.Services.CreateAccountAsync();
        var feed = NewFeed();
        var heard = new Heard();
        using var subscription = await feed.SubscribeAsync(account.AccountId, heard.Add);
        var committed = await CommitProceduresAsync(account.AccountId, 3, silent: true);

        // Only the last one comes live: the two before it are read from the log.
        feed.Offer(committed[2]);

        await Eventually.UntilAsync(() => heard.Count >= 3, Timeout, "the two missing events read from the log, then the third");
        Assert.Equal(committed.Select(e => e.Seq), heard.Seqs);
        Assert.Equal(committed.Select(e => e.Name), heard.Events.Select(e => e.Name));
        Assert.Equal(committed[0].Change, heard.Events[0].Change);
    }

    [Fact]
    public async Task A_sweep_delivers_events_no_offer_brought_once_they_are_older_than_one_sweep()
    {
        var account = await database.Services.CreateAccountAsync();
        var feed = NewFeed();
        var heard = new Heard();
        using var subscription = await feed.SubscribeAsync(account.AccountId, heard.Add);
        var committed = await CommitProceduresAsync(account.AccountId, 2, silent: true);

        // The first sweep sees them for the first time (they may be on their way); the second reads them.
        Assert.Equal(0, await feed.SweepAsync());
        Assert.Equal(2, await feed.SweepAsync());

        await Eventually.UntilAsync(() => heard.Count >= 2, Timeout, "the two events no offer brought");
        Assert.Equal(committed.Select(e => e.Seq), heard.Seqs);
        Assert.Equal(0, await feed.SweepAsync());
    }

    [Fact]
    public async Task A_subscriber_hears_nothing_of_another_account_and_a_slow_one_holds_up_no_one()
    {
        var (account, other) = (await database.Services.CreateAccountAsync(), await database.Services.CreateAccountAsync());
        var feed = NewFeed();
        var release = new TaskCompletionSource();
        var slow = new Heard(_ => release.Task);
        var quick = new Heard();
        var stranger = new Heard();
        using var slowSubscription = await feed.SubscribeAsync(account.AccountId, slow.Add);
        using var quickSubscription = await feed.SubscribeAsync(account.AccountId, quick.Add);
        using var otherSubscription = await feed.SubscribeAsync(other.AccountId, stranger.Add);

        foreach (var accountEvent in await CommitProceduresAsync(account.AccountId, 3, silent: true))
        {
            feed.Offer(accountEvent);
        }

        await Eventually.UntilAsync(() => quick.Count >= 3, Timeout, "the quick subscriber's three events");
        release.SetResult();
        await Eventually.UntilAsync(() => slow.Count >= 3, Timeout, "the slow subscriber's three events");
        Assert.Equal(0, stranger.Count);
    }

    [Fact]
    public async Task The_last_subscription_of_an_account_ends_its_stream_and_a_new_one_starts_at_the_latest_event()
    {
        var account = await database.Services.CreateAccountAsync();
        var feed = NewFeed();
        var first = await feed.SubscribeAsync(account.AccountId, _ => Task.CompletedTask);
        Assert.Equal(1, feed.SubscribedAccountCount);
        first.Dispose();
        Assert.Equal(0, feed.SubscribedAccountCount);

        var committed = await CommitProceduresAsync(account.AccountId, 2, silent: true);
        using var second = await feed.SubscribeAsync(account.AccountId, _ => Task.CompletedTask);

        Assert.Equal(committed[^1].Seq, second.Start);
    }

    private AccountEventFeed NewFeed() => new(_log, NullLogger<AccountEventFeed>.Instance);

    /// <summary>Commits <paramref name="count"/> procedures; with <paramref name="silent"/>, their events reach the log only.</summary>
    private async Task<List<AccountEvent>> CommitProceduresAsync(int accountId, int count, bool silent)
    {
        var published = new List<AccountEvent>();
        var committer = silent
            ? new AccountCommitter(new Recording(published), TimeProvider.System, new RecordingLogger<AccountCommitter>())
            : database.Services.GetRequiredService<AccountCommitter>();
        var clinicDb = database.Services.GetRequiredService<ClinicDb>();
        var events = new List<AccountEvent>();
        for (var i = 0; i < count; i++)
        {
            await using var db = clinicDb.ForAccount(accountId);
            var procedure = new Procedure { AccountId = accountId, Name = $"Exame {i}", Price = 10m + i };
            db.Procedures.Add(procedure);
            events.Add(await committer.CommitAsync(db, () => new ProcedureSaved(ProcedureDto.From(procedure), Created: true), CancellationToken.None));
        }

        return events;
    }

    private sealed class Recording(List<AccountEvent> published) : IAccountEventPublisher
    {
        public void Publish(AccountEvent committed) => published.Add(committed);
    }

    private sealed class Heard(Func<AccountEvent, Task>? onEvent = null)
    {
        private readonly ConcurrentQueue<AccountEvent> _events = new();

        public int Count => _events.Count;

        public List<AccountEvent> Events => [.. _events];

        public List<long> Seqs => [.. _events.Select(e => e.Seq)];

        public async Task Add(AccountEvent accountEvent)
        {
            if (onEvent is not null)
            {
                await onEvent(accountEvent);
            }

            _events.Enqueue(accountEvent);
        }
    }
}
