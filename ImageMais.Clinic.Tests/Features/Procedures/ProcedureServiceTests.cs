using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Tests.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Features.Procedures;

public sealed class ProcedureServiceTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private ProcedureService Procedures => database.Services.GetRequiredService<ProcedureService>();

    [Fact]
    public async Task Replacing_a_missing_procedure_is_not_found_even_with_invalid_input()
    {
        var accountId = await NewAccountAsync();

        var result = await Procedures.ReplaceAsync(accountId, int.MaxValue, new ProcedureInput(Name: null, Price: -1m));

        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
    }

    [Fact]
    public async Task Replacing_a_procedure_requires_every_field_while_changing_it_keeps_the_ones_left_out()
    {
        var accountId = await NewAccountAsync();
        var created = (await Procedures.CreateAsync(accountId, new ProcedureInput("Ultrassom: Tireoide", 100m))).Value!;

        var replaced = await Procedures.ReplaceAsync(accountId, created.Id, new ProcedureInput(Price: 120m));
        var changed = await Procedures.UpdateAsync(accountId, created.Id, new ProcedureInput(Price: 120m));

        Assert.Equal(FailureKind.Invalid, replaced.Failure?.Kind);
        Assert.True(replaced.Failure!.Errors!.ContainsKey("name"));
        Assert.Equal(new ProcedureDto(created.Id, "Ultrassom: Tireoide", 120m), changed.Value);
    }

    private async Task<int> NewAccountAsync() =>
        (await database.Services.GetRequiredService<AccountService>().CreateAsync("Clínica Procedimentos", $"master-{Guid.NewGuid():N}@example.com")).Value!.AccountId;
}
