using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Data;

/// <summary>
/// The services' transactions under a retrying execution strategy, as SQL Server runs them (EnableRetryOnFailure):
/// the same SQLite file, with a strategy that retries and a connection that drops once in the middle of the work.
/// </summary>
public sealed class RetriedTransactionTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    [Fact]
    public async Task An_account_whose_master_insert_fails_once_is_created_once_on_the_retry()
    {
        var fault = new TransientFaultOnce(db => db.ChangeTracker.Entries<User>().Any(e => e.State == EntityState.Added));
        var accounts = new AccountService(RetryingClinicDb(fault), new PasswordHasher<User>(), TimeProvider.System);
        var name = $"Clínica Retentada {Guid.NewGuid():N}";

        var created = (await accounts.CreateAsync(name, $"master-{Guid.NewGuid():N}@example.com")).Value!;

        Assert.True(fault.Thrown);
        await using var db = database.ClinicDb.ForSystem();
        Assert.Equal(created.AccountId, (await db.Accounts.SingleAsync(a => a.Name == name)).Id);
        var master = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == created.MasterUserId);
        Assert.Equal(created.AccountId, master.AccountId);
    }

    [Fact]
    public async Task Disabling_a_user_runs_under_a_retrying_strategy_and_survives_a_dropped_save()
    {
        var account = (await database.Services.GetRequiredService<AccountService>().CreateAsync("Clínica Plantão", $"master-{Guid.NewGuid():N}@example.com")).Value!;
        var staff = (await new UserService(database.ClinicDb, new PasswordHasher<User>(), TimeProvider.System).CreateAsync(account.AccountId, new NewUserInput($"staff-{Guid.NewGuid():N}@example.com", "Plantonista", UserRole.Staff))).Value!;
        var fault = new TransientFaultOnce(db => db.ChangeTracker.Entries<User>().Any(e => e.State == EntityState.Modified));
        var users = new UserService(RetryingClinicDb(fault), new PasswordHasher<User>(), TimeProvider.System);

        var disabled = await users.DisableAsync(account.AccountId, staff.UserId);

        Assert.True(disabled.Succeeded);
        Assert.True(fault.Thrown);
        await using var db = database.ClinicDb.ForAccount(account.AccountId);
        Assert.False((await db.Users.SingleAsync(u => u.Id == staff.UserId)).IsActive);
    }

    private ClinicDb RetryingClinicDb(TransientFaultOnce fault)
    {
        var options = new DbContextOptionsBuilder<SqliteClinicDbContext>()
            .UseSqlite($"Data Source={database.Path}", sqlite => sqlite.ExecutionStrategy(d => new RetryingStrategy(d)))
            .AddInterceptors(fault)
            .Options;
        return new ClinicDb(() => new SqliteClinicDbContext(options));
    }

    private sealed class TransientException() : Exception("The connection dropped.");

    private sealed class RetryingStrategy(ExecutionStrategyDependencies dependencies) : ExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.Zero)
    {
        protected override bool ShouldRetryOn(Exception exception) => exception is TransientException;

        protected override TimeSpan? GetNextDelay(Exception lastException) => base.GetNextDelay(lastException) is null ? null : TimeSpan.Zero;
    }

    /// <summary>Fails the first save that <paramref name="when"/> picks, as a dropped connection would.</summary>
    private sealed class TransientFaultOnce(Func<DbContext, bool> when) : SaveChangesInterceptor
    {
        public bool Thrown { get; private set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!Thrown && when(eventData.Context!))
            {
                Thrown = true;
                throw new TransientException();
            }

            return ValueTask.FromResult(result);
        }
    }
}
