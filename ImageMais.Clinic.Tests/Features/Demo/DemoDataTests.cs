using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Demo;
using ImageMais.Clinic.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Features.Demo;

// Each test starts from an empty database of its own: the demo's e-mails are unique across accounts.
public sealed class DemoDataTests : IAsyncLifetime
{
    private readonly SqliteDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task The_first_start_prints_both_users_and_a_later_start_creates_nothing_more()
    {
        var printed = new List<DemoSignIn>();

        var accountId = await Demo().EnsureAsync(printed.Add);
        var again = await Demo().EnsureAsync(printed.Add);

        Assert.Equal(accountId, again);
        Assert.Equal([("master", DemoData.MasterEmail), ("staff", DemoData.StaffEmail)], printed.Select(p => (p.Role, p.Email)));
        await AssertWholeDemoAsync(accountId);
    }

    [Fact]
    public async Task A_start_that_stopped_after_the_account_is_completed_by_the_next()
    {
        var halfBuilt = (await _database.Services.GetRequiredService<AccountService>().CreateAsync(DemoData.AccountName, DemoData.MasterEmail)).Value!;
        var printed = new List<DemoSignIn>();

        var accountId = await Demo().EnsureAsync(printed.Add);

        Assert.Equal(halfBuilt.AccountId, accountId);
        Assert.Equal([("staff", DemoData.StaffEmail)], printed.Select(p => (p.Role, p.Email)));
        await AssertWholeDemoAsync(accountId);
        await using var db = _database.ClinicDb.ForAccount(accountId);
        Assert.Equal("Dra. Beatriz Master", (await db.Users.SingleAsync(u => u.Id == halfBuilt.MasterUserId)).Name);
    }

    [Fact]
    public async Task Two_instances_starting_together_make_one_demo_clinic()
    {
        var printed = new List<DemoSignIn>();

        var accountIds = await Task.WhenAll(Demo().EnsureAsync(Print), Demo().EnsureAsync(Print));

        Assert.Equal(accountIds[0], accountIds[1]);
        Assert.Equal(2, printed.Count);
        await using var db = _database.ClinicDb.ForSystem();
        Assert.Equal(1, await db.Accounts.CountAsync());
        await using var demo = _database.ClinicDb.ForAccount(accountIds[0]);
        Assert.Equal(3, await demo.Doctors.CountAsync());

        void Print(DemoSignIn user)
        {
            lock (printed)
            {
                printed.Add(user);
            }
        }
    }

    private DemoData Demo() => ActivatorUtilities.CreateInstance<DemoData>(_database.Services);

    private async Task AssertWholeDemoAsync(int accountId)
    {
        await using var db = _database.ClinicDb.ForAccount(accountId);
        Assert.Equal([(DemoData.MasterEmail, UserRole.Master), (DemoData.StaffEmail, UserRole.Staff)],
            (await db.Users.OrderBy(u => u.Role == UserRole.Master ? 0 : 1).Select(u => new { u.Email, u.Role }).ToListAsync()).Select(u => (u.Email, u.Role)));
        Assert.Equal(8, await db.Procedures.CountAsync());
        Assert.Equal(3, await db.Doctors.CountAsync());
        Assert.Equal(8, await db.DoctorProcedures.CountAsync());
    }
}
