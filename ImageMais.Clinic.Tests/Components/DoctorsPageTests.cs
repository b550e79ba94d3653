using Bunit;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Web.Components.Pages.Doctors;
using ImageMais.Clinic.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ImageMais.Clinic.Tests.Components;

public sealed class DoctorsPageTests(SqliteDatabase database) : ComponentTest(database)
{
    [Fact]
    public async Task The_page_lists_the_accounts_doctors_with_their_procedures_and_no_other_accounts()
    {
        var account = await SignInNewAccountAsync(UserRole.Staff);
        var other = await CreateAccountAsync();
        var thyroid = await CreateProcedureAsync(account.AccountId, "Ultrassom: Tireoide");
        await CreateDoctorAsync(account.AccountId, "Dr. João Silva", "12345", thyroid.Id);
        await CreateDoctorAsync(other.AccountId, "Dra. Outra Clínica", "54321");

        var page = Render<Doctors>();

        page.WaitForAssertion(() => Assert.Equal(["Dr. João Silva"], Names(page)), Timeout);
        Assert.Equal("Ultrassom: Tireoide", page.Find("[data-testid=doctor-procedure]").TextContent.Trim());
        Assert.Contains("(81) 99999-9999", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Outra Clínica", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_without_doctors_sees_the_empty_state()
    {
        await SignInNewAccountAsync();

        var page = Render<Doctors>();

        page.WaitForAssertion(() => Assert.Contains("Nenhum médico cadastrado ainda", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal), Timeout);
    }

    [Fact]
    public async Task The_page_speaks_English_when_the_browser_asks_for_it()
    {
        UseCulture("en-US");
        await SignInNewAccountAsync();

        var page = Render<Doctors>();

        page.WaitForAssertion(() => Assert.Contains("No doctors yet", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal), Timeout);
        Assert.Equal("Doctors", page.Find("[data-testid=page-title]").TextContent);
    }

    [Fact]
    public async Task A_doctor_created_elsewhere_appears_highlighted()
    {
        var account = await SignInNewAccountAsync();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);

        var created = await CreateDoctorAsync(account.AccountId, "Dra. Ana Lima", "777");

        page.WaitForAssertion(() => Assert.Equal(["Dra. Ana Lima"], Names(page)), Timeout);
        Assert.Contains("row-highlight", RowOf(page, created.Crm).ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_doctor_updated_elsewhere_replaces_its_row()
    {
        var account = await SignInNewAccountAsync();
        var doctor = await CreateDoctorAsync(account.AccountId, "Dr. Antes", "888");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal(["Dr. Antes"], Names(page)), Timeout);

        await DoctorService.PatchAsync(account.AccountId, doctor.Id, new DoctorInput(Name: "Dr. Depois", IsBusy: true));

        page.WaitForAssertion(() => Assert.Equal(["Dr. Depois"], Names(page)), Timeout);
        Assert.True(RowOf(page, "888").QuerySelector("[data-testid=doctor-busy]")!.HasAttribute("checked"));
    }

    [Fact]
    public async Task A_doctor_deleted_elsewhere_leaves_the_list()
    {
        var account = await SignInNewAccountAsync();
        var kept = await CreateDoctorAsync(account.AccountId, "Dr. Fica", "111");
        var removed = await CreateDoctorAsync(account.AccountId, "Dr. Sai", "222");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal(2, Names(page).Count), Timeout);

        await DoctorService.DeleteAsync(account.AccountId, removed.Id);

        page.WaitForAssertion(() => Assert.Equal([kept.Name], Names(page)), Timeout);
    }

    [Fact]
    public async Task Another_accounts_events_never_reach_the_page()
    {
        var account = await SignInNewAccountAsync();
        var other = await CreateAccountAsync();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);

        await CreateDoctorAsync(other.AccountId, "Dra. Da Outra", "333");
        await CreateDoctorAsync(account.AccountId, "Dr. Daqui", "444");

        // The page's own event came after the other account's: had that one been heard, it would be there too.
        page.WaitForAssertion(() => Assert.Equal(["Dr. Daqui"], Names(page)), Timeout);
        Assert.DoesNotContain("Da Outra", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renamed_procedure_renames_the_chips_of_its_doctors()
    {
        var account = await SignInNewAccountAsync();
        var procedure = await CreateProcedureAsync(account.AccountId, "Raio-X");
        await CreateDoctorAsync(account.AccountId, "Dr. Chip", "555", procedure.Id);
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal("Raio-X", page.Find("[data-testid=doctor-procedure]").TextContent.Trim()), Timeout);

        await ProcedureService.UpdateAsync(account.AccountId, procedure.Id, new(Name: "Raio-X digital"));

        page.WaitForAssertion(() => Assert.Equal("Raio-X digital", page.Find("[data-testid=doctor-procedure]").TextContent.Trim()), Timeout);
    }

    [Fact]
    public async Task Closing_the_page_ends_its_subscription()
    {
        await SignInNewAccountAsync();
        var before = Notifier.SubscriptionCount;
        var page = Render<Doctors>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);
        Assert.Equal(before + 1, Notifier.SubscriptionCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, Notifier.SubscriptionCount);
    }

    [Fact]
    public async Task After_a_reconnection_the_page_reloads_what_it_did_not_hear()
    {
        var account = await SignInNewAccountAsync();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);

        // Written straight to the database: no event, as if it had been announced while the browser was away.
        await using (var db = Database.ClinicDb.ForAccount(account.AccountId))
        {
            var now = DateTime.UtcNow;
            db.Doctors.Add(new Doctor { AccountId = account.AccountId, Name = "Dr. Perdido", Crm = "999", Email = "p@example.com", Phone = "(81) 3333-4444", CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        }

        var connection = Services.GetRequiredService<CircuitConnection>();
        await connection.OnConnectionDownAsync(null!, default);
        await connection.OnConnectionUpAsync(null!, default);

        page.WaitForAssertion(() => Assert.Equal(["Dr. Perdido"], Names(page)), Timeout);
    }

    [Fact]
    public async Task Search_filters_by_name_crm_or_email()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Alfa", "10101");
        await CreateDoctorAsync(account.AccountId, "Dra. Beta", "20202");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal(2, Names(page).Count), Timeout);

        InputOf(page, "doctor-search").Input("2020");
        page.WaitForAssertion(() => Assert.Equal(["Dra. Beta"], Names(page)), Timeout);

        InputOf(page, "doctor-search").Input("alfa");
        page.WaitForAssertion(() => Assert.Equal(["Dr. Alfa"], Names(page)), Timeout);

        InputOf(page, "doctor-search").Input("ninguém");
        page.WaitForAssertion(() => Assert.Contains("Nenhum médico encontrado para “ninguém”", page.Markup, StringComparison.Ordinal), Timeout);
    }

    [Fact]
    public async Task The_busy_switch_changes_the_doctor()
    {
        var account = await SignInNewAccountAsync();
        var doctor = await CreateDoctorAsync(account.AccountId, "Dr. Plantão", "12121");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Single(Names(page)), Timeout);

        InputOf(page, "doctor-busy").Change(true);

        await WaitAsync(async () => (await DoctorService.GetAsync(account.AccountId, doctor.Id)).Value!.IsBusy);
    }

    [Fact]
    public async Task Deleting_asks_first_and_then_removes_the_doctor()
    {
        var account = await SignInNewAccountAsync();
        var doctor = await CreateDoctorAsync(account.AccountId, "Dr. Remover", "13131");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Single(Names(page)), Timeout);

        page.Find("[data-testid=delete-doctor]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Excluir Dr. Remover (CRM 13131)?", dialogs.Markup, StringComparison.Ordinal), Timeout);
        Assert.True((await DoctorService.GetAsync(account.AccountId, doctor.Id)).Succeeded);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Excluir").Click();

        page.WaitForAssertion(() => Assert.Empty(Names(page)), Timeout);
        Assert.Equal(FailureKind.NotFound, (await DoctorService.GetAsync(account.AccountId, doctor.Id)).Failure?.Kind);
    }

    internal static List<string> Names(IRenderedComponent<Doctors> page) =>
        [.. page.FindAll("[data-testid=doctor-name]").Select(e => e.TextContent)];

    internal static AngleSharp.Dom.IElement RowOf(IRenderedComponent<Doctors> page, string crm) =>
        page.FindAll("tr").Single(row => row.QuerySelector("[data-testid=doctor-crm]")?.TextContent == crm);

    internal static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!await condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
