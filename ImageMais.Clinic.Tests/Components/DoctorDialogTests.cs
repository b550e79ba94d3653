using Bunit;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Web.Components.Pages.Doctors;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ImageMais.Clinic.Tests.Components;

public sealed class DoctorDialogTests(SqliteDatabase database) : ComponentTest(database)
{
    [Fact]
    public async Task Saving_an_empty_doctor_shows_the_validators_message_under_each_field()
    {
        var account = await SignInNewAccountAsync();
        var (dialogs, _) = await OpenAsync(account.AccountId, null);

        dialogs.Find("[data-testid=save-doctor]").Click();

        dialogs.WaitForAssertion(() =>
        {
            Assert.Equal(Messages.NameRequired, ErrorUnder(dialogs, "doctor-name-input"));
            Assert.Equal(Messages.CrmRequired, ErrorUnder(dialogs, "doctor-crm-input"));
            Assert.Equal(Messages.EmailRequired, ErrorUnder(dialogs, "doctor-email-input"));
            Assert.Equal(Messages.PhoneRequired, ErrorUnder(dialogs, "doctor-phone-input"));
        }, Timeout);
        Assert.Empty(await DoctorService.ListAsync(account.AccountId));
    }

    [Fact]
    public async Task Bad_values_get_the_same_messages_the_api_gives()
    {
        var account = await SignInNewAccountAsync();
        var (dialogs, _) = await OpenAsync(account.AccountId, null);

        Fill(dialogs, "Dr. X", "0000", "não-é-email", "123");
        dialogs.Find("[data-testid=save-doctor]").Click();

        dialogs.WaitForAssertion(() =>
        {
            Assert.Null(ErrorUnder(dialogs, "doctor-name-input"));
            Assert.Equal(Messages.CrmInvalid, ErrorUnder(dialogs, "doctor-crm-input"));
            Assert.Equal(Messages.EmailInvalid, ErrorUnder(dialogs, "doctor-email-input"));
            Assert.Equal(Messages.PhoneInvalid, ErrorUnder(dialogs, "doctor-phone-input"));
        }, Timeout);
    }

    [Fact]
    public async Task A_crm_already_used_in_the_clinic_is_explained_under_the_crm()
    {
        var account = await SignInNewAccountAsync();
        await CreateDoctorAsync(account.AccountId, "Dr. Primeiro", "4242");
        var (dialogs, _) = await OpenAsync(account.AccountId, null);

        Fill(dialogs, "Dr. Segundo", "4242", "segundo@example.com", "(81) 3333-4444");
        dialogs.Find("[data-testid=save-doctor]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(string.Format(Messages.CrmTaken, "4242"), ErrorUnder(dialogs, "doctor-crm-input")), Timeout);
        Assert.Single(await DoctorService.ListAsync(account.AccountId));
    }

    [Fact]
    public async Task A_valid_doctor_is_created_with_its_procedures_and_returned()
    {
        var account = await SignInNewAccountAsync();
        var thyroid = await CreateProcedureAsync(account.AccountId, "Ultrassom: Tireoide", 100m);
        var (dialogs, reference) = await OpenAsync(account.AccountId, null, thyroid);

        Fill(dialogs, "  Dr. João Silva ", "123456/pe", "joao.silva@example.com", "81999999999");
        dialogs.Find("div.mud-input-control.mud-select").MouseDown();
        _popovers.WaitForAssertion(() => Assert.Contains("Ultrassom: Tireoide — R$ 100,00", _popovers.Markup, StringComparison.Ordinal), Timeout);
        _popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("Ultrassom: Tireoide", StringComparison.Ordinal)).Click();
        dialogs.Find("[data-testid=save-doctor]").Click();

        var result = await reference.Result;
        var saved = Assert.IsType<DoctorDto>(result!.Data);
        Assert.Equal(("Dr. João Silva", "123456/PE", "(81) 99999-9999"), (saved.Name, saved.Crm, saved.Phone));
        Assert.Equal([thyroid.Id], saved.DoctorProcedures.Select(dp => dp.Procedure.Id));
        Assert.Equal(saved, (await DoctorService.GetAsync(account.AccountId, saved.Id)).Value);
    }

    [Fact]
    public async Task Editing_starts_from_the_doctor_and_replaces_it()
    {
        var account = await SignInNewAccountAsync();
        var doctor = await CreateDoctorAsync(account.AccountId, "Dr. Antigo", "5151");
        var (dialogs, reference) = await OpenAsync(account.AccountId, doctor);
        Assert.Equal("Dr. Antigo", InputOf(dialogs, "doctor-name-input").GetAttribute("value"));

        InputOf(dialogs, "doctor-name-input").Change("Dr. Novo");
        dialogs.Find("[data-testid=save-doctor]").Click();

        var saved = Assert.IsType<DoctorDto>((await reference.Result)!.Data);
        Assert.Equal(("Dr. Novo", "5151"), (saved.Name, saved.Crm));
        Assert.Equal("Dr. Novo", (await DoctorService.GetAsync(account.AccountId, doctor.Id)).Value!.Name);
    }

    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    private async Task<(IRenderedComponent<MudDialogProvider> Dialogs, IDialogReference Reference)> OpenAsync(
        int accountId, DoctorDto? doctor, params ImageMais.Clinic.Features.Procedures.ProcedureDto[] procedures)
    {
        _popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var parameters = new DialogParameters<DoctorDialog>
        {
            { d => d.AccountId, accountId },
            { d => d.Doctor, doctor },
            { d => d.Procedures, procedures },
        };
        var reference = await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<DoctorDialog>("Médico", parameters));
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=save-doctor]"), Timeout);
        return (dialogs, reference);
    }

    private static void Fill(IRenderedComponent<MudDialogProvider> dialogs, string name, string crm, string email, string phone)
    {
        InputOf(dialogs, "doctor-name-input").Change(name);
        InputOf(dialogs, "doctor-crm-input").Change(crm);
        InputOf(dialogs, "doctor-email-input").Change(email);
        InputOf(dialogs, "doctor-phone-input").Change(phone);
    }

    /// <summary>The error text MudBlazor shows under the field marked <paramref name="testId"/>, or <c>null</c>.</summary>
    internal static string? ErrorUnder(IRenderedComponent<IComponent> component, string testId)
    {
        var field = InputOf(component, testId).Closest(".mud-input-control")!;
        return field.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }
}
