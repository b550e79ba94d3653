using Bunit;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Components.Pages.Doctors;
using ImageMais.Clinic.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
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

        // Listed out of their row by a screen reader, the row's controls still say which doctor they act on.
        Assert.Equal("Editar Dr. João Silva", page.Find("[data-testid=edit-doctor]").GetAttribute("aria-label"));
        Assert.Equal("Excluir Dr. João Silva", page.Find("[data-testid=delete-doctor]").GetAttribute("aria-label"));
        Assert.Equal("Dr. João Silva está ocupado", page.Find("[data-testid=doctor-busy]").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Names_and_procedures_with_markup_characters_show_as_text()
    {
        var account = await SignInNewAccountAsync();
        var procedure = await CreateProcedureAsync(account.AccountId, "Raio-X <i>tórax</i>");
        await CreateDoctorAsync(account.AccountId, "Dr. <b>Negrito</b> & \"Aspas\" D'Ávila", "5151", procedure.Id);

        var page = Render<Doctors>();

        page.WaitForAssertion(() => Assert.Equal(["Dr. <b>Negrito</b> & \"Aspas\" D'Ávila"], Names(page)), Timeout);
        Assert.Equal("Raio-X <i>tórax</i>", page.Find("[data-testid=doctor-procedure]").TextContent);
        Assert.Empty(page.FindAll("tbody b, tbody i"));
    }

    [Fact]
    public async Task A_prerendered_page_shows_the_loading_state_and_neither_reads_nor_subscribes_to_the_list()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Depois", "6161");
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var before = Feed.SubscriptionCount;

        var page = Render<Doctors>();

        Assert.NotEmpty(page.FindAll("[data-testid=grid-loading]"));
        Assert.Empty(Names(page));
        Assert.Equal(before, Feed.SubscriptionCount);
        Assert.Equal(0, Services.GetRequiredService<LiveDoctorLists>().Count);
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
        var before = Feed.SubscriptionCount;
        var page = Render<Doctors>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);
        Assert.Equal(before + 1, Feed.SubscriptionCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, Feed.SubscriptionCount);
    }

    [Fact]
    public async Task A_doctor_whose_event_never_came_live_is_shown_from_the_log_and_a_reconnection_draws_the_list_again()
    {
        var account = await SignInNewAccountAsync();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);

        // Committed with its event, which is never offered (as if another instance made it while Redis was down).
        await UnannouncedChanges.CreateDoctorAsync(Database.ClinicDb, account.AccountId, "Dr. Perdido", "999");

        await Feed.SweepAsync();
        await Feed.SweepAsync();
        page.WaitForAssertion(() => Assert.Equal(["Dr. Perdido"], Names(page)), Timeout);

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

        Click(page, "doctor-busy");

        await Eventually.UntilAsync(async () => (await DoctorService.GetAsync(account.AccountId, doctor.Id)).Value!.IsBusy, Timeout, "the doctor is saved as busy");
    }

    [Fact]
    public async Task Deleting_asks_first_and_then_removes_the_doctor()
    {
        var account = await SignInNewAccountAsync();
        var doctor = await CreateDoctorAsync(account.AccountId, "Dr. Remover", "13131");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Single(Names(page)), Timeout);

        Click(page, "delete-doctor");
        dialogs.WaitForAssertion(() => Assert.Contains("Excluir Dr. Remover (CRM 13131)?", dialogs.Markup, StringComparison.Ordinal), Timeout);
        Assert.True((await DoctorService.GetAsync(account.AccountId, doctor.Id)).Succeeded);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Excluir").Click();

        page.WaitForAssertion(() => Assert.Empty(Names(page)), Timeout);
        Assert.Equal(FailureKind.NotFound, (await DoctorService.GetAsync(account.AccountId, doctor.Id)).Failure?.Kind);
    }

    [Fact]
    public async Task Clicking_a_column_header_sorts_ascending_then_descending_then_back_to_the_lists_order()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Bruno Lima");
        await CreateDoctorAsync(account.AccountId, "álvaro Souza");
        await CreateDoctorAsync(account.AccountId, "Carla Melo");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count), Timeout);
        Assert.Equal("none", HeaderOf(page, "name").GetAttribute("aria-sort"));

        Click(page, "sort-name");
        Assert.Equal(["álvaro Souza", "Bruno Lima", "Carla Melo"], Names(page));
        Assert.Equal("ascending", HeaderOf(page, "name").GetAttribute("aria-sort"));

        Click(page, "sort-name");
        Assert.Equal(["Carla Melo", "Bruno Lima", "álvaro Souza"], Names(page));
        Assert.Equal("descending", HeaderOf(page, "name").GetAttribute("aria-sort"));

        Click(page, "sort-name");
        Assert.Equal(["Bruno Lima", "álvaro Souza", "Carla Melo"], Names(page));
        Assert.Equal("none", HeaderOf(page, "name").GetAttribute("aria-sort"));
        Assert.Empty(page.FindAll("th:not([aria-sort]) button"));
    }

    [Fact]
    public async Task The_pager_shows_ten_rows_a_page_moves_between_pages_and_changes_the_page_size()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorsAsync(account.AccountId, 100, i => $"Dr. {i:000}");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal(Numbered(1, 10), Names(page)), Timeout);
        Assert.Equal("1–10 de 100", PageInfo(page));
        Assert.True(page.Find("[data-testid=first-page]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=previous-page]").HasAttribute("disabled"));
        Assert.Equal("Próxima página", page.Find("[data-testid=next-page]").GetAttribute("aria-label"));

        Click(page, "next-page");
        Assert.Equal(Numbered(11, 10), Names(page));
        Assert.Equal("11–20 de 100", PageInfo(page));
        Assert.False(page.Find("[data-testid=previous-page]").HasAttribute("disabled"));

        Click(page, "previous-page");
        page.Find("[data-testid=page-size]").Change("25");
        Assert.Equal(Numbered(1, 25), Names(page));
        Assert.Equal("1–25 de 100", PageInfo(page));

        Click(page, "last-page");
        Assert.Equal(Numbered(76, 25), Names(page));
        Assert.Equal("76–100 de 100", PageInfo(page));
        Assert.True(page.Find("[data-testid=next-page]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=last-page]").HasAttribute("disabled"));

        Click(page, "first-page");
        Assert.Equal("1–25 de 100", PageInfo(page));
    }

    [Fact]
    public async Task The_pager_speaks_English_when_the_browser_asks_for_it()
    {
        UseCulture("en-US");
        var account = await SignInNewAccountAsync();
        await CreateDoctorsAsync(account.AccountId, 12, i => $"Dr. {i:000}");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal("1–10 of 12", PageInfo(page)), Timeout);

        Click(page, "next-page");

        Assert.Equal(Numbered(11, 2), Names(page));
        Assert.Equal("11–12 of 12", PageInfo(page));
        Assert.Equal("Last page", page.Find("[data-testid=last-page]").GetAttribute("aria-label"));
        Assert.Contains("Rows per page:", page.Find(".mud-table-pagination").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_search_starts_again_at_the_first_page_and_clearing_it_shows_every_doctor()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorsAsync(account.AccountId, 30, i => i <= 15 ? $"Dra. Ana {i:00}" : $"Dr. Bruno {i:00}");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal("1–10 de 30", PageInfo(page)), Timeout);
        Click(page, "next-page");
        Assert.Equal("11–20 de 30", PageInfo(page));

        InputOf(page, "doctor-search").Input("bruno");

        Assert.Equal("1–10 de 15", PageInfo(page));
        Assert.Equal([.. Enumerable.Range(16, 10).Select(i => $"Dr. Bruno {i:00}")], Names(page));

        page.Find("[data-testid=clear-search]").Click();

        Assert.Equal("1–10 de 30", PageInfo(page));
        Assert.Equal("", InputOf(page, "doctor-search").GetAttribute("value"));
        Assert.Empty(page.FindAll("[data-testid=clear-search]"));
    }

    [Fact]
    public async Task Deleting_the_only_doctor_of_the_last_page_moves_back_a_page()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorsAsync(account.AccountId, 11, i => $"Dr. {i:000}");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal("1–10 de 11", PageInfo(page)), Timeout);
        Click(page, "last-page");
        Assert.Equal(["Dr. 011"], Names(page));

        Click(page, "delete-doctor");
        dialogs.WaitForAssertion(() => Assert.Contains("Excluir Dr. 011", dialogs.Markup, StringComparison.Ordinal), Timeout);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Excluir").Click();

        page.WaitForAssertion(() => Assert.Equal(Numbered(1, 10), Names(page)), Timeout);
        Assert.Equal("1–10 de 10", PageInfo(page));
        Assert.True(page.Find("[data-testid=next-page]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_doctor_created_elsewhere_while_the_second_page_is_open_joins_it_without_leaving_the_page()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorsAsync(account.AccountId, 15, i => $"Dr. {i:000}");
        var page = Render<Doctors>();
        page.WaitForAssertion(() => Assert.Equal("1–10 de 15", PageInfo(page)), Timeout);
        Click(page, "next-page");

        var created = await CreateDoctorAsync(account.AccountId, "Dra. Nova");

        page.WaitForAssertion(() => Assert.Equal("11–16 de 16", PageInfo(page)), Timeout);
        Assert.Equal([.. Numbered(11, 5), "Dra. Nova"], Names(page));
        Assert.Contains("row-highlight", RowOf(page, created.Crm).ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_the_list_has_loaded_the_loading_bar_is_gone_and_a_doctor_can_be_added()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Carregado");

        var page = Render<Doctors>();

        page.WaitForAssertion(() => Assert.Equal(["Dr. Carregado"], Names(page)), Timeout);
        Assert.Empty(page.FindAll("[role=progressbar]"));
        Assert.False(page.Find("[data-testid=new-doctor]").HasAttribute("disabled"));
    }

    /// <summary>
    /// What clinic.js does with a click on a grid's control drawn as markup: the control names its action (and
    /// row or column), and a "gridaction" event with them bubbles to the grid's handler.
    /// </summary>
    internal static void Click(IRenderedComponent<Doctors> page, string testId)
    {
        var control = page.Find($"[data-testid={testId}]");
        if (control.HasAttribute("disabled"))
        {
            throw new InvalidOperationException($"{testId} is disabled: a browser would not click it.");
        }

        page.Find("[data-testid=doctors-grid]").TriggerEvent("ongridaction", new GridActionEventArgs
        {
            Action = control.GetAttribute("data-grid-action") ?? throw new InvalidOperationException($"{testId} has no data-grid-action."),
            Id = int.Parse(control.GetAttribute("data-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    internal static string PageInfo(IRenderedComponent<Doctors> page) => page.Find("[data-testid=page-info]").TextContent;

    internal static AngleSharp.Dom.IElement HeaderOf(IRenderedComponent<Doctors> page, string column) =>
        page.Find($"[data-testid=sort-{column}]").ParentElement!;

    private static List<string> Numbered(int first, int count) => [.. Enumerable.Range(first, count).Select(i => $"Dr. {i:000}")];

    private async Task CreateDoctorsAsync(int accountId, int count, Func<int, string> name)
    {
        for (var i = 1; i <= count; i++)
        {
            await CreateDoctorAsync(accountId, name(i), (10_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal static List<string> Names(IRenderedComponent<Doctors> page) =>
        [.. page.FindAll("[data-testid=doctor-name]").Select(e => e.TextContent)];

    internal static AngleSharp.Dom.IElement RowOf(IRenderedComponent<Doctors> page, string crm) =>
        page.FindAll("tr").Single(row => row.QuerySelector("[data-testid=doctor-crm]")?.TextContent == crm);
}
