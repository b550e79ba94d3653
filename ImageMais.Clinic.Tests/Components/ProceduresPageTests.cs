using Bunit;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Web.Components.Pages.Procedures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ImageMais.Clinic.Tests.Components;

public sealed class ProceduresPageTests(SqliteDatabase database) : ComponentTest(database)
{
    [Fact]
    public async Task Prices_are_shown_in_reais_the_Brazilian_way()
    {
        var account = await SignInNewAccountAsync();
        await CreateProcedureAsync(account.AccountId, "Ressonância", 1234.5m);
        await CreateProcedureAsync(account.AccountId, "Raio-X", 100m);

        var page = Render<Procedures>();

        page.WaitForAssertion(() => Assert.Equal(["R$ 100,00", "R$ 1.234,50"], Prices(page)), Timeout);
    }

    [Fact]
    public async Task Procedures_created_updated_and_deleted_elsewhere_follow_live_and_another_accounts_never_show()
    {
        var account = await SignInNewAccountAsync();
        var other = await CreateAccountAsync();
        var page = Render<Procedures>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);

        await CreateProcedureAsync(other.AccountId, "Da outra clínica", 1m);
        var created = await CreateProcedureAsync(account.AccountId, "Tomografia", 300m);
        page.WaitForAssertion(() => Assert.Equal(["Tomografia"], Names(page)), Timeout);
        Assert.DoesNotContain("Da outra clínica", page.Markup, StringComparison.Ordinal);

        await ProcedureService.UpdateAsync(account.AccountId, created.Id, new ProcedureInput(Price: 350.25m));
        page.WaitForAssertion(() => Assert.Equal(["R$ 350,25"], Prices(page)), Timeout);

        await ProcedureService.DeleteAsync(account.AccountId, created.Id);
        page.WaitForAssertion(() => Assert.Empty(Names(page)), Timeout);
    }

    [Fact]
    public async Task Deleting_a_procedure_doctors_use_explains_which_doctors_and_keeps_it()
    {
        var account = await SignInNewAccountAsync();
        var procedure = await CreateProcedureAsync(account.AccountId, "Ultrassom", 100m);
        await CreateDoctorAsync(account.AccountId, "Dra. Beatriz", "101", procedure.Id);
        await CreateDoctorAsync(account.AccountId, "Dr. Carlos", "202", procedure.Id);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Procedures>();
        page.WaitForAssertion(() => Assert.Single(Names(page)), Timeout);

        page.Find("[data-testid=delete-procedure]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Excluir").Click(), Timeout);

        page.WaitForAssertion(() => Assert.Equal(["Dr. Carlos", "Dra. Beatriz"], page.FindAll("[data-testid=linked-doctor]").Select(e => e.TextContent)), Timeout);
        Assert.Contains("“Ultrassom” não pode ser excluído", page.Find("[data-testid=procedure-in-use]").TextContent, StringComparison.Ordinal);
        Assert.True((await ProcedureService.GetAsync(account.AccountId, procedure.Id)).Succeeded);
        Assert.Single(Names(page));
    }

    [Fact]
    public async Task The_dialog_shows_the_validators_messages_and_creates_a_valid_procedure()
    {
        var account = await SignInNewAccountAsync();
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var reference = await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ProcedureDialog>(
            "Procedimento", new DialogParameters<ProcedureDialog> { { d => d.AccountId, account.AccountId } }));

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=save-procedure]").Click(), Timeout);
        dialogs.WaitForAssertion(() =>
        {
            Assert.Equal(Messages.NameRequired, DoctorDialogTests.ErrorUnder(dialogs, "procedure-name-input"));
            Assert.Equal(Messages.PriceRequired, DoctorDialogTests.ErrorUnder(dialogs, "procedure-price-input"));
        }, Timeout);

        InputOf(dialogs, "procedure-name-input").Change("Densitometria");
        InputOf(dialogs, "procedure-price-input").Change("1.234,56");
        dialogs.Find("[data-testid=save-procedure]").Click();

        var saved = Assert.IsType<ProcedureDto>((await reference.Result)!.Data);
        Assert.Equal(("Densitometria", 1234.56m), (saved.Name, saved.Price));
        Assert.Equal(saved, (await ProcedureService.GetAsync(account.AccountId, saved.Id)).Value);
    }

    [Fact]
    public async Task Two_open_pages_of_a_clinic_share_one_subscription_which_ends_with_the_last()
    {
        await SignInNewAccountAsync();
        var before = Feed.SubscriptionCount;
        var page = Render<Procedures>();
        var second = Render<Procedures>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);
        second.WaitForAssertion(() => second.Find("[data-testid=empty-state]"), Timeout);
        Assert.Equal(before + 1, Feed.SubscriptionCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, Feed.SubscriptionCount);
    }

    private static List<string> Names(IRenderedComponent<IComponent> page) =>
        [.. page.FindAll("[data-testid=procedure-name]").Select(e => e.TextContent)];

    private static List<string> Prices(IRenderedComponent<IComponent> page) =>
        [.. page.FindAll("[data-testid=procedure-price]").Select(e => e.TextContent)];
}
