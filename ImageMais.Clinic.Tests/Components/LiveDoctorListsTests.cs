using System.Collections.Concurrent;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Components.Pages.Doctors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageMais.Clinic.Tests.Components;

/// <summary>The clinics' live doctor lists over the real event feed and a real SQLite file.</summary>
public sealed class LiveDoctorListsTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private AccountEventFeed Feed => database.Services.GetRequiredService<AccountEventFeed>();

    private DoctorService DoctorService => database.Services.GetRequiredService<DoctorService>();

    [Fact]
    public async Task Tabs_of_one_clinic_share_one_list_and_one_subscription_which_ends_with_the_last_tab()
    {
        var account = await database.Services.CreateAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Compartilhado", "1001");
        var lists = NewLists();
        var before = Feed.SubscriptionCountFor(account.AccountId);

        using var first = lists.Join(account.AccountId, _ => { });
        var second = lists.Join(account.AccountId, _ => { });
        await Task.WhenAll(first.Ready, second.Ready);

        Assert.Equal(before + 1, Feed.SubscriptionCountFor(account.AccountId));
        Assert.Same(first.Rows, second.Rows);
        Assert.Equal(["Dr. Compartilhado"], first.Rows.Select(r => r.Doctor.Name));

        second.Dispose();
        Assert.Equal(1, lists.Count);
        first.Dispose();
        Assert.Equal(0, lists.Count);
        Assert.Equal(before, Feed.SubscriptionCountFor(account.AccountId));
    }

    [Fact]
    public async Task Every_tab_hears_each_change_once_the_list_has_it_and_no_other_clinics()
    {
        var (account, other) = (await database.Services.CreateAccountAsync(), await database.Services.CreateAccountAsync());
        var lists = NewLists();
        var heard = new ConcurrentQueue<(int Tab, int? Doctor)>();
        using var first = lists.Join(account.AccountId, change => heard.Enqueue((1, change.ChangedId)));
        using var second = lists.Join(account.AccountId, change => heard.Enqueue((2, change.ChangedId)));
        using var otherTab = lists.Join(other.AccountId, change => heard.Enqueue((3, change.ChangedId)));
        await Task.WhenAll(first.Ready, second.Ready, otherTab.Ready);

        var created = await CreateDoctorAsync(account.AccountId, "Dra. Nova", "2002");

        await Eventually.UntilAsync(() => heard.Count == 2, ComponentTest.Timeout, "both tabs of the clinic hear the new doctor");
        Assert.Equal([(1, created.Id), (2, created.Id)], heard.OrderBy(h => h.Tab));
        Assert.Equal(created, first.Rows.Single(r => r.Doctor.Id == created.Id).Doctor);
        Assert.Empty(otherTab.Rows);

        await DoctorService.DeleteAsync(account.AccountId, created.Id);

        await Eventually.UntilAsync(() => heard.Count == 4, ComponentTest.Timeout, "both tabs of the clinic hear the deletion");
        Assert.DoesNotContain(second.Rows, r => r.Doctor.Id == created.Id);
        Assert.DoesNotContain(heard, h => h.Tab == 3);
    }

    [Fact]
    public async Task A_list_catches_up_from_the_log_on_events_that_never_came_live_without_reading_the_list_again()
    {
        var account = await database.Services.CreateAccountAsync();
        var loads = 0;
        var highlighted = new ConcurrentQueue<int?>();
        var counting = new CountingLists(DoctorService, Feed, database.Services.GetRequiredService<AccountEventLog>(), () => Interlocked.Increment(ref loads));
        using var tab = counting.Join(account.AccountId, change => highlighted.Enqueue(change.ChangedId));
        await tab.Ready;

        // Committed with its event, but the event is never offered (as when the process that committed died, or
        // Redis lost it): the sweep finds it in the log.
        var doctorId = (await UnannouncedChanges.CreateDoctorAsync(database.ClinicDb, account.AccountId, "Dr. Silencioso", "3003")).Id;

        await Feed.SweepAsync();
        await Feed.SweepAsync();

        await Eventually.UntilAsync(() => tab.Rows.Any(r => r.Doctor.Id == doctorId), ComponentTest.Timeout, "the doctor read from the log");
        Assert.Equal(["Dr. Silencioso"], tab.Rows.Select(r => r.Doctor.Name));
        Assert.Equal([doctorId], highlighted);
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task A_late_event_never_brings_back_a_deleted_doctor_nor_overwrites_a_newer_one()
    {
        var account = await database.Services.CreateAccountAsync();
        var lists = NewLists();
        using var tab = lists.Join(account.AccountId, _ => { });
        await tab.Ready;
        var log = database.Services.GetRequiredService<AccountEventLog>();

        var kept = await CreateDoctorAsync(account.AccountId, "Dr. Mantido", "5005");
        var gone = await CreateDoctorAsync(account.AccountId, "Dr. Removido", "6006");
        await DoctorService.PatchAsync(account.AccountId, kept.Id, new DoctorInput(Name: "Dr. Mantido Renomeado"));
        await DoctorService.DeleteAsync(account.AccountId, gone.Id);
        await Eventually.UntilAsync(() => tab.Seq >= 4, ComponentTest.Timeout, "the four events applied");

        // Every event again, late, as another instance's Redis message might bring them.
        foreach (var late in (await log.ReadAsync(account.AccountId, 0, 100)).Events)
        {
            Feed.Offer(late with { FromAnotherInstance = true });
        }

        await CreateDoctorAsync(account.AccountId, "Dr. Depois", "7007");
        await Eventually.UntilAsync(() => tab.Rows.Any(r => r.Doctor.Name == "Dr. Depois"), ComponentTest.Timeout, "the event after the late ones");
        Assert.Equal(["Dr. Mantido Renomeado", "Dr. Depois"], tab.Rows.Select(r => r.Doctor.Name));
    }

    [Fact]
    public async Task A_rows_cells_are_built_once_per_language_and_time_zone_and_then_shared()
    {
        var account = await database.Services.CreateAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Célula", "4004");
        var lists = NewLists();
        using var tab = lists.Join(account.AccountId, _ => { });
        await tab.Ready;
        var row = tab.Rows.Single();
        var builds = 0;
        Microsoft.AspNetCore.Components.MarkupString Build(DoctorDto d) => new($"<td>{++builds}:{d.Name}</td>");

        ComponentTest.UseCulture("pt-BR");
        var first = row.Cells(TimeZoneInfo.Utc, Build);
        var again = row.Cells(TimeZoneInfo.Utc, Build);
        ComponentTest.UseCulture("en-US");
        var english = row.Cells(TimeZoneInfo.Utc, Build);

        Assert.Same(first.Value, again.Value);
        Assert.NotEqual(first.Value, english.Value);
        Assert.Equal(2, builds);
    }

    private LiveDoctorLists NewLists() =>
        new(DoctorService, Feed, database.Services.GetRequiredService<AccountEventLog>(), NullLogger<LiveDoctorLists>.Instance);


    /// <summary>Doctor lists that count how often a clinic's list is read from the database.</summary>
    private sealed class CountingLists(DoctorService doctors, AccountEventFeed feed, AccountEventLog log, Action loaded)
        : ImageMais.Clinic.Web.Components.Shared.LiveAccountLists<DoctorRow>(feed, log, NullLogger.Instance)
    {
        private readonly LiveDoctorLists _doctors = new(doctors, feed, log, NullLogger<LiveDoctorLists>.Instance);

        protected internal override async Task<DoctorRow[]> LoadAsync(int accountId)
        {
            loaded();
            return await _doctors.LoadAsync(accountId);
        }

        protected internal override (DoctorRow[] Rows, ImageMais.Clinic.Web.Components.Shared.LiveListChange Change)? Apply(DoctorRow[] rows, AccountChange change) =>
            _doctors.Apply(rows, change);
    }

    private async Task<DoctorDto> CreateDoctorAsync(int accountId, string name, string crm)
    {
        var result = await DoctorService.CreateAsync(accountId, new DoctorInput(name, crm, $"doc{crm}@example.com", "81999999999"));
        return result.Value ?? throw new InvalidOperationException(result.Failure!.Message);
    }
}
