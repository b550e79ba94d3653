using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Procedures;
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
            committedWhenPublished = other.Procedures.Any(p => p.Id == Id(e)) && other.Events.Any(l => l.Seq == e.Seq);
        });
        var committer = new AccountCommitter(publisher, TimeProvider.System, new RecordingLogger<AccountCommitter>());

        await using var db = clinicDb.ForAccount(account.AccountId);
        var procedure = new Procedure { AccountId = account.AccountId, Name = "Raio-X", Price = 80m };
        db.Procedures.Add(procedure);
        await committer.CommitAsync(db, () => Created(procedure), CancellationToken.None);

        Assert.True(committedWhenPublished);
    }

    [Fact]
    public async Task A_change_that_fails_to_commit_publishes_nothing()
    {
        var account = await app.CreateAccountAsync();
        var clinicDb = app.GetService<ClinicDb>();
        var published = new List<AccountEvent>();
        var committer = new AccountCommitter(new DelegatePublisher(published.Add), TimeProvider.System, new RecordingLogger<AccountCommitter>());
        await using (var first = clinicDb.ForAccount(account.AccountId))
        {
            first.Doctors.Add(NewDoctor(account.AccountId, "4321"));
            await committer.CommitAsync(first, () => new DoctorDeleted(1, account.AccountId), CancellationToken.None);
        }

        await using var second = clinicDb.ForAccount(account.AccountId);
        second.Doctors.Add(NewDoctor(account.AccountId, "4321"));
        await Assert.ThrowsAsync<DbUpdateException>(() =>
            committer.CommitAsync(second, () => new DoctorDeleted(2, account.AccountId), CancellationToken.None));

        Assert.Equal([1], published.Select(Id));
    }

    [Fact]
    public async Task A_publisher_that_throws_fails_neither_the_change_nor_the_caller_and_is_logged()
    {
        var account = await app.CreateAccountAsync();
        var clinicDb = app.GetService<ClinicDb>();
        var logger = new RecordingLogger<AccountCommitter>();
        var committer = new AccountCommitter(new DelegatePublisher(_ => throw new InvalidOperationException("publisher down")), TimeProvider.System, logger);

        await using var db = clinicDb.ForAccount(account.AccountId);
        var procedure = new Procedure { AccountId = account.AccountId, Name = "Tomografia", Price = 500m };
        db.Procedures.Add(procedure);
        await committer.CommitAsync(db, () => Created(procedure), CancellationToken.None);

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
        var committer = new AccountCommitter(new DelegatePublisher(e => published.Enqueue(Id(e))), TimeProvider.System, new RecordingLogger<AccountCommitter>());

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            var accountId = accounts[i % accounts.Length].AccountId;
            await using var db = clinicDb.ForAccount(accountId);
            var procedure = new Procedure { AccountId = accountId, Name = $"Exame {i}", Price = 10m + i };
            db.Procedures.Add(procedure);
            await committer.CommitAsync(db, () => Created(procedure), CancellationToken.None);
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

    private static ProcedureSaved Created(Procedure procedure) => new(ProcedureDto.From(procedure), Created: true);

    private static int Id(AccountEvent accountEvent) => accountEvent.Change switch
    {
        ProcedureSaved saved => saved.Procedure.Id,
        DoctorDeleted deleted => deleted.Id,
        var other => throw new InvalidOperationException(other.Name),
    };

    private sealed class DelegatePublisher(Action<AccountEvent> publish) : IAccountEventPublisher
    {
        public void Publish(AccountEvent accountEvent) => publish(accountEvent);
    }
}
