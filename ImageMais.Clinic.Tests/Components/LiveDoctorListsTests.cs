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

/// <summary>The clinics' live doctor lists over the real notifier and a real SQLite file.</summary>
public sealed class LiveDoctorListsTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private AccountNotifier Notifier => database.Services.GetRequiredService<AccountNotifier>();

    private DoctorService DoctorService => database.Services.GetRequiredService<DoctorService>();

    [Fact]
    public async Task Tabs_of_one_clinic_share_one_list_and_one_subscription_which_ends_with_the_last_tab()
    {
        var account = await database.Services.CreateAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Compartilhado", "1001");
        var lists = NewLists();
        var before = Notifier.SubscriptionCountFor(account.AccountId);

        using var first = lists.Join(account.AccountId, _ => { });
        var second = lists.Join(account.AccountId, _ => { });
        await Task.WhenAll(first.Ready, second.Ready);

        Assert.Equal(before + 1, Notifier.SubscriptionCountFor(account.AccountId));
        Assert.Same(first.Rows, second.Rows);
        Assert.Equal(["Dr. Compartilhado"], first.Rows.Select(r => r.Doctor.Name));

        second.Dispose();
        Assert.Equal(1, lists.Count);
        first.Dispose();
        Assert.Equal(0, lists.Count);
        Assert.Equal(before, Notifier.SubscriptionCountFor(account.AccountId));
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
    public async Task A_reload_reads_what_no_event_announced_and_tells_every_tab()
    {
        var account = await database.Services.CreateAccountAsync();
        var lists = NewLists();
        var reloads = 0;
        using var tab = lists.Join(account.AccountId, change => Interlocked.Increment(ref reloads));
        await tab.Ready;

        // Written straight to the database: no event.
        await using (var db = database.ClinicDb.ForAccount(account.AccountId))
        {
            var now = DateTime.UtcNow;
            db.Doctors.Add(new Doctor { AccountId = account.AccountId, Name = "Dr. Silencioso", Crm = "3003", Email = "s@example.com", Phone = "(81) 3333-4444", CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        }

        await Task.WhenAll(tab.ReloadAsync(), tab.ReloadAsync());

        Assert.Equal(["Dr. Silencioso"], tab.Rows.Select(r => r.Doctor.Name));
        Assert.InRange(Volatile.Read(ref reloads), 1, 2);
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

    private LiveDoctorLists NewLists() => new(DoctorService, Notifier, NullLogger<LiveDoctorLists>.Instance);

    private async Task<DoctorDto> CreateDoctorAsync(int accountId, string name, string crm)
    {
        var result = await DoctorService.CreateAsync(accountId, new DoctorInput(name, crm, $"doc{crm}@example.com", "81999999999"));
        return result.Value ?? throw new InvalidOperationException(result.Failure!.Message);
    }
}
