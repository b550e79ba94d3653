using ImageMais.Clinic.Data;
using ImageMais.Clinic.Data.Interceptors;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Data;

/// <summary>
/// Tenancy is enforced by the data layer itself: a context opened for one account can neither read nor write
/// another account's rows, and a system context reads none unless it says so.
/// </summary>
public sealed class TenancyTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>, IAsyncLifetime
{
    private Clinic _recife = null!;
    private Clinic _olinda = null!;

    public async Task InitializeAsync()
    {
        _recife = await CreateClinicAsync("Recife");
        _olinda = await CreateClinicAsync("Olinda");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_account_context_reads_only_its_own_accounts_rows()
    {
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);

        Assert.All(await db.Procedures.ToListAsync(), p => Assert.Equal(_recife.AccountId, p.AccountId));
        Assert.All(await db.Doctors.ToListAsync(), d => Assert.Equal(_recife.AccountId, d.AccountId));
        Assert.All(await db.DoctorProcedures.ToListAsync(), dp => Assert.Equal(_recife.AccountId, dp.AccountId));
        Assert.All(await db.Users.ToListAsync(), u => Assert.Equal(_recife.AccountId, u.AccountId));
        Assert.All(await db.AccessTokens.ToListAsync(), t => Assert.Equal(_recife.AccountId, t.AccountId));
        Assert.Contains(await db.Doctors.ToListAsync(), d => d.Id == _recife.DoctorId);

        Assert.Null(await db.Doctors.FirstOrDefaultAsync(d => d.Id == _olinda.DoctorId));
        Assert.Null(await db.Procedures.FindAsync(_olinda.ProcedureId));
        Assert.Null(await db.AccessTokens.FirstOrDefaultAsync(t => t.Id == _olinda.TokenId));
        Assert.False(await db.Users.AnyAsync(u => u.Id == _olinda.MasterUserId));
        Assert.Empty(await db.Doctors.Where(d => d.Crm == SharedCrm && d.AccountId == _olinda.AccountId).ToListAsync());
    }

    [Fact]
    public async Task Navigations_do_not_cross_accounts_either()
    {
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);

        var procedureNames = await db.Doctors.SelectMany(d => d.DoctorProcedures).Select(dp => dp.Procedure!.Name).ToListAsync();

        Assert.NotEmpty(procedureNames);
        Assert.All(procedureNames, name => Assert.StartsWith("Recife", name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_another_accounts_row_through_an_account_context_throws_and_writes_nothing()
    {
        var olindaProcedure = await LoadAsSystemAsync<Procedure>(_olinda.ProcedureId);
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);
        db.Procedures.Attach(olindaProcedure);
        olindaProcedure.Name = "Tomado por Recife";

        await Assert.ThrowsAsync<CrossAccountWriteException>(() => db.SaveChangesAsync());

        Assert.NotEqual("Tomado por Recife", (await LoadAsSystemAsync<Procedure>(_olinda.ProcedureId)).Name);
    }

    [Fact]
    public async Task Deleting_another_accounts_row_through_an_account_context_throws_and_deletes_nothing()
    {
        var olindaDoctor = await LoadAsSystemAsync<Doctor>(_olinda.DoctorId);
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);
        db.Doctors.Remove(olindaDoctor);

        await Assert.ThrowsAsync<CrossAccountWriteException>(() => db.SaveChangesAsync());

        Assert.NotNull(await LoadAsSystemAsync<Doctor>(_olinda.DoctorId));
    }

    [Fact]
    public async Task Adding_a_row_for_another_account_through_an_account_context_throws_and_adds_nothing()
    {
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);
        db.Procedures.Add(new Procedure { AccountId = _olinda.AccountId, Name = "Intrusa", Price = 1m });

        await Assert.ThrowsAsync<CrossAccountWriteException>(() => db.SaveChangesAsync());

        await using var system = database.ClinicDb.ForSystem();
        Assert.False(await system.Procedures.IgnoreQueryFilters().AnyAsync(p => p.Name == "Intrusa"));
    }

    [Fact]
    public async Task Moving_a_row_to_another_account_throws_and_leaves_it_where_it_was()
    {
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);
        var procedure = await db.Procedures.SingleAsync(p => p.Id == _recife.ProcedureId);
        procedure.AccountId = _olinda.AccountId;

        await Assert.ThrowsAsync<CrossAccountWriteException>(() => db.SaveChangesAsync());

        Assert.Equal(_recife.AccountId, (await LoadAsSystemAsync<Procedure>(_recife.ProcedureId)).AccountId);
    }

    [Fact]
    public async Task A_new_row_in_an_account_context_is_stamped_with_its_account()
    {
        int id;
        await using (var db = database.ClinicDb.ForAccount(_olinda.AccountId))
        {
            var procedure = new Procedure { Name = "Olinda: Raio-X de tórax", Price = 80m };
            db.Procedures.Add(procedure);
            await db.SaveChangesAsync();
            id = procedure.Id;
        }

        Assert.Equal(_olinda.AccountId, (await LoadAsSystemAsync<Procedure>(id)).AccountId);
    }

    [Fact]
    public async Task A_system_context_sees_no_account_rows_unless_it_ignores_the_filters()
    {
        await using var db = database.ClinicDb.ForSystem();

        Assert.Empty(await db.Procedures.ToListAsync());
        Assert.Empty(await db.Doctors.ToListAsync());
        Assert.Empty(await db.DoctorProcedures.ToListAsync());
        Assert.Empty(await db.Users.ToListAsync());
        Assert.Empty(await db.AccessTokens.ToListAsync());

        var accounts = await db.Doctors.IgnoreQueryFilters().Select(d => d.AccountId).Distinct().ToListAsync();
        Assert.Contains(_recife.AccountId, accounts);
        Assert.Contains(_olinda.AccountId, accounts);
    }

    [Fact]
    public async Task A_system_context_must_name_the_account_of_a_row_it_adds()
    {
        await using var db = database.ClinicDb.ForSystem();
        db.Procedures.Add(new Procedure { Name = "Sem conta", Price = 1m });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_CRM_is_unique_within_an_account_but_not_across_accounts()
    {
        // SharedCrm is already used by a doctor of each clinic: two accounts may have it.
        await using var db = database.ClinicDb.ForAccount(_recife.AccountId);
        db.Doctors.Add(NewDoctor(SharedCrm));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        await using var system = database.ClinicDb.ForSystem();
        Assert.Equal(2, await system.Doctors.IgnoreQueryFilters().CountAsync(d => d.Crm == SharedCrm && (d.AccountId == _recife.AccountId || d.AccountId == _olinda.AccountId)));
    }

    private const string SharedCrm = "123456/PE";

    private async Task<T> LoadAsSystemAsync<T>(object id)
        where T : class
    {
        await using var db = database.ClinicDb.ForSystem();
        return await db.Set<T>().IgnoreQueryFilters().AsNoTracking().SingleAsync(e => EF.Property<object>(e, "Id") == id);
    }

    private static Doctor NewDoctor(string crm) => new()
    {
        Name = "Dra. Ana Souza",
        Crm = crm,
        Email = "ana.souza@example.com",
        Phone = "(81) 99999-9999",
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
    };

    private async Task<Clinic> CreateClinicAsync(string city)
    {
        var account = (await database.Services.GetRequiredService<AccountService>()
            .CreateAsync($"{city} {Guid.NewGuid():N}", $"{city.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com")).Value!;
        await using var db = database.ClinicDb.ForAccount(account.AccountId);
        var procedure = new Procedure { Name = $"{city}: Ultrassom", Price = 100m };
        var doctor = NewDoctor(SharedCrm);
        doctor.DoctorProcedures.Add(new DoctorProcedure { Procedure = procedure });
        db.Doctors.Add(doctor);
        await db.SaveChangesAsync();

        var token = (await database.Services.GetRequiredService<AccessTokenService>().IssueAsync(account.AccountId)).Value!;
        return new Clinic(account.AccountId, account.MasterUserId, procedure.Id, doctor.Id, token.Id);
    }

    private sealed record Clinic(int AccountId, int MasterUserId, int ProcedureId, int DoctorId, string TokenId);
}
