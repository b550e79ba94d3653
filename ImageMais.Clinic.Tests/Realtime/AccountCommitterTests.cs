using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ImageMais.Clinic.Tests.Realtime;

public sealed class AccountCommitterTests(ClinicApp app) : IClassFixture<ClinicApp>
{
    [Fact]
    public async Task The_event_is_published_only_once_the_change_is_committed()
    {
        var account = await app.CreateAccountAsync();
        var clinicDb = app.GetService<ClinicDb>();
        bool? committedWhenPublished = null;
        var publisher = new DelegatePublisher(e =>
        {
            // Another connection sees the row: the transaction had committed before the event left.
            using var other = clinicDb.ForAccount(e.AccountId);
            committedWhenPublished = other.Procedures.Any(p => p.Id == (int)e.Payload);
        });
        var committer = new AccountCommitter(publisher, new RecordingLogger<AccountCommitter>());

        await using var db = clinicDb.ForAccount(account.AccountId);
        var procedure = new Procedure { AccountId = account.AccountId, Name = "Raio-X", Price = 80m };
        db.Procedures.Add(procedure);
        await committer.CommitAsync(db, () => new AccountEvent(account.AccountId, AccountEventNames.ProceduresCreated, procedure.Id), CancellationToken.None);

        Assert.True(committedWhenPublished);
    }

    [Fact]
    public async Task A_change_that_fails_to_commit_publishes_nothing()
    {
        var account = await app.CreateAccountAsync();
        var clinicDb = app.GetService<ClinicDb>();
        var published = new List<AccountEvent>();
        var committer = new AccountCommitter(new DelegatePublisher(published.Add), new RecordingLogger<AccountCommitter>());
        await using (var first = clinicDb.ForAccount(account.AccountId))
        {
            first.Doctors.Add(NewDoctor(account.AccountId, "4321"));
            await committer.CommitAsync(first, () => new AccountEvent(account.AccountId, AccountEventNames.DoctorsCreated, 1), CancellationToken.None);
        }

        await using var second = clinicDb.ForAccount(account.AccountId);
        second.Doctors.Add(NewDoctor(account.AccountId, "4321"));
        await Assert.ThrowsAsync<DbUpdateException>(() =>
            committer.CommitAsync(second, () => new AccountEvent(account.AccountId, AccountEventNames.DoctorsCreated, 2), CancellationToken.None));

        Assert.Equal([1], published.Select(e => (int)e.Payload));
    }

    [Fact]
    public async Task A_publisher_that_throws_fails_neither_the_change_nor_the_caller_and_is_logged()
    {
        var account = await app.CreateAccountAsync();
        var clinicDb = app.GetService<ClinicDb>();
        var logger = new RecordingLogger<AccountCommitter>();
        var committer = new AccountCommitter(new DelegatePublisher(_ => throw new InvalidOperationException("publisher down")), logger);

        await using var db = clinicDb.ForAccount(account.AccountId);
        var procedure = new Procedure { AccountId = account.AccountId, Name = "Tomografia", Price = 500m };
        db.Procedures.Add(procedure);
        await committer.CommitAsync(db, () => new AccountEvent(account.AccountId, AccountEventNames.ProceduresCreated, procedure.Id), CancellationToken.None);

        await using var check = clinicDb.ForAccount(account.AccountId);
        Assert.True(await check.Procedures.AnyAsync(p => p.Id == procedure.Id));
        Assert.Equal("publisher down", (await logger.ErrorsAsync(1))[0].Exception!.Message);
    }

    [Fact]
    public async Task On_sqlite_concurrent_changes_of_many_accounts_all_commit_and_are_announced_in_commit_order()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => app.CreateAccountAsync()));
        var clinicDb = app.GetService<ClinicDb>();
        var published = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var committer = new AccountCommitter(new DelegatePublisher(e => published.Enqueue((int)e.Payload)), new RecordingLogger<AccountCommitter>());

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            var accountId = accounts[i % accounts.Length].AccountId;
            await using var db = clinicDb.ForAccount(accountId);
            var procedure = new Procedure { AccountId = accountId, Name = $"Exame {i}", Price = 10m + i };
            db.Procedures.Add(procedure);
            await committer.CommitAsync(db, () => new AccountEvent(accountId, AccountEventNames.ProceduresCreated, procedure.Id), CancellationToken.None);
        })));

        // SQLite numbers rows in the order their transactions commit: one writer, so one order for all accounts.
        var ids = published.ToList();
        Assert.Equal(60, ids.Count);
        Assert.Equal(ids.Order(), ids);
    }

    private static Doctor NewDoctor(int accountId, string crm) => new()
    {
        AccountId = accountId,
        Name = "Dr. Duplicado",
        Crm = crm,
        Email = $"crm{crm}@example.com",
        Phone = "(81) 99999-9999",
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
    };

    private sealed class DelegatePublisher(Action<AccountEvent> publish) : IAccountEventPublisher
    {
        public void Publish(AccountEvent accountEvent) => publish(accountEvent);
    }
}
