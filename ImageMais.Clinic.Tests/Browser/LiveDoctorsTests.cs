using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>
/// The Doctors page in real browser tabs against the app on a real port: every change, from any tab or the REST
/// API, shows in every tab of the same clinic within a second, and in no tab of another clinic.
/// </summary>
public sealed class LiveDoctorsTests(ClinicApp app, BrowserFixture browser) : BrowserTest(browser), IClassFixture<ClinicApp>, IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_doctor_created_in_one_tab_shows_in_the_other_tab_of_the_clinic_within_a_second_and_never_in_another_clinic()
    {
        var (clinicA, clinicB) = (await app.CreateAccountAsync("Clínica Aurora"), await app.CreateAccountAsync("Clínica Boreal"));
        var apiB = app.CreateApiClient((await app.IssueTokenAsync(clinicB.AccountId)).Token);
        await app.CreateApiClient((await app.IssueTokenAsync(clinicA.AccountId)).Token).CreateProcedureAsync("Ultrassom: Tireoide", 100);
        var (tab1, tab2) = await OpenTwoTabsAsync(clinicA);
        var tabB = await OpenDoctorsAsync(clinicB);

        await tab1.CreateDoctorAsync("Dr. João Silva", "12345/PE", "joao.silva@example.com", "81999999999", "Ultrassom: Tireoide");

        await Assertions.Expect(tab1.DoctorRow("12345/PE")).ToBeVisibleAsync();
        await Assertions.Expect(tab2.DoctorRow("12345/PE")).ToBeVisibleAsync(new() { Timeout = (float)Second.TotalMilliseconds });
        await Assertions.Expect(tab2.DoctorRow("12345/PE")).ToContainTextAsync("(81) 99999-9999");
        await Assertions.Expect(tab2.DoctorRow("12345/PE").GetByTestId("doctor-procedure")).ToHaveTextAsync("Ultrassom: Tireoide");

        // Clinic B's tab does hear its own clinic's changes; clinic A's doctor, announced before, never came.
        await apiB.CreateDoctorAsync(ApiTestKit.DoctorBody("Dra. Da Boreal", "54321", phone: "(81) 3333-4444"));
        await Assertions.Expect(tabB.DoctorRow("54321")).ToBeVisibleAsync();
        await Assertions.Expect(tabB.DoctorRow("12345/PE")).ToHaveCountAsync(0);
        await Assertions.Expect(tab1.DoctorRow("54321")).ToHaveCountAsync(0);

        await tab2.ScreenshotAsync("doctors");
    }

    [Fact]
    public async Task Changes_through_the_REST_API_reach_every_tab_of_the_clinic()
    {
        var clinic = await app.CreateAccountAsync();
        var api = app.CreateApiClient((await app.IssueTokenAsync(clinic.AccountId)).Token);
        var (tab1, tab2) = await OpenTwoTabsAsync(clinic);

        var id = (int)(await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dra. Ana Lima", "777", phone: "(81) 3333-4444")))["id"]!;
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Assertions.Expect(tab.DoctorRow("777")).ToContainTextAsync("Dra. Ana Lima", new() { Timeout = (float)Second.TotalMilliseconds });
        }

        var patched = await api.PatchAsJsonAsync($"/api/doctors/{id}", new { name = "Dra. Ana Lima Souza", isBusy = true });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Assertions.Expect(tab.DoctorRow("777")).ToContainTextAsync("Dra. Ana Lima Souza", new() { Timeout = (float)Second.TotalMilliseconds });
            await Assertions.Expect(tab.DoctorRow("777").Locator("input[type=checkbox]")).ToBeCheckedAsync();
        }

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/doctors/{id}")).StatusCode);
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Assertions.Expect(tab.DoctorRow("777")).ToHaveCountAsync(0, new() { Timeout = (float)Second.TotalMilliseconds });
        }
    }

    [Fact]
    public async Task The_dialog_shows_the_validators_messages_under_each_field_and_a_taken_crm_under_the_crm()
    {
        var clinic = await app.CreateAccountAsync();
        var api = app.CreateApiClient((await app.IssueTokenAsync(clinic.AccountId)).Token);
        await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dr. Primeiro", "4242", phone: "(81) 3333-4444"));
        var page = await OpenDoctorsAsync(clinic);

        await page.CreateDoctorAsync("", "0000", "não-é-email", "123");

        var dialog = page.GetByTestId("doctor-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Informe o nome.");
        await Assertions.Expect(dialog).ToContainTextAsync("E-mail inválido.");
        await page.ScreenshotAsync("doctor-dialog-validation");

        await page.Field("doctor-name-input").FillAsync("Dr. Segundo");
        await page.Field("doctor-crm-input").FillAsync("4242");
        await page.Field("doctor-email-input").FillAsync("segundo@example.com");
        await page.Field("doctor-phone-input").FillAsync("(81) 3333-4444");
        await page.GetByTestId("save-doctor").ClickAsync();

        await Assertions.Expect(dialog).ToContainTextAsync("Já existe um médico com o CRM 4242 nesta clínica.");
    }

    [Fact]
    public async Task Closing_a_tab_leaves_no_subscription_behind()
    {
        var notifier = app.GetService<AccountEventFeed>();
        var clinic = await app.CreateAccountAsync();
        var page = await OpenDoctorsAsync(clinic);
        await page.GetByTestId("doctors-grid").WaitForAsync();
        Assert.Equal(1, notifier.SubscriptionCountFor(clinic.AccountId));

        // Closed as a person closes a tab: the page's unload handlers run, so Blazor tells the server the circuit is gone.
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });

        // Counted for this clinic only: other tests' tabs of the shared app may close at any time.
        await Eventually.UntilAsync(() => notifier.SubscriptionCountFor(clinic.AccountId) == 0, TimeSpan.FromSeconds(30), "the closed tab's circuit should drop its subscription");
    }

    [Fact]
    public async Task After_the_connection_drops_and_comes_back_the_page_shows_what_was_committed_meanwhile_without_reloading()
    {
        var clinic = await app.CreateAccountAsync();

        // The circuit's WebSocket goes through the test, which can cut it and refuse new ones: a real drop, seen
        // by the browser and the server alike (offline emulation leaves an open WebSocket alone).
        var reachable = true;
        var sockets = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        var tab = await Browser.NewPageAsync();
        await tab.RouteWebSocketAsync(new Regex("/_blazor"), socket =>
        {
            if (!reachable)
            {
                // The handler cannot be awaited; the close reaches the browser as a refused connection.
                _ = socket.CloseAsync();
                return;
            }

            lock (sockets)
            {
                sockets.Add((socket, socket.ConnectToServer()));
            }
        });
        await tab.SignInAsync(app.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/doctors");
        await tab.GetByTestId("doctors-grid").WaitForAsync();
        var reconnectModal = tab.Locator("#components-reconnect-modal");
        await tab.EvaluateAsync("() => window.samePage = true");

        reachable = false;
        (IWebSocketRoute Page, IWebSocketRoute Server)[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (var (page, server) in open)
        {
            await server.CloseAsync();
            await page.CloseAsync();
        }

        await Assertions.Expect(reconnectModal).ToBeVisibleAsync();

        // Two changes while the tab is away: one announced as usual, and one whose event never comes live (as when
        // another instance's message is lost): the clinic's list gets that one from the event log.
        var created = await app.GetService<DoctorService>().CreateAsync(
            clinic.AccountId, new DoctorInput("Dr. Anunciado", "4141", "anunciado@example.com", "(81) 3333-4444"));
        Assert.True(created.Succeeded);
        await UnannouncedChanges.CreateDoctorAsync(app.GetService<ClinicDb>(), clinic.AccountId, "Dra. Enquanto Fora", "4242");

        reachable = true;
        await Assertions.Expect(reconnectModal).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(tab.DoctorRow("4141")).ToContainTextAsync("Dr. Anunciado");
        await Assertions.Expect(tab.DoctorRow("4242")).ToContainTextAsync("Dra. Enquanto Fora");
        Assert.True(await tab.EvaluateAsync<bool>("() => window.samePage === true"), "The circuit resumed in the same page rather than the page reloading.");
    }

    [Fact]
    public async Task The_grid_sorts_by_a_clicked_header_pages_and_filters_in_the_browser()
    {
        var clinic = await app.CreateAccountAsync();
        var doctors = app.GetService<DoctorService>();
        for (var i = 1; i <= 25; i++)
        {
            var created = await doctors.CreateAsync(clinic.AccountId, new DoctorInput($"Dr. Grade {i:00}", $"{60_000 + i}", $"grade{i}@example.com", "(81) 3333-4444"));
            Assert.True(created.Succeeded);
        }

        var page = await OpenDoctorsAsync(clinic);
        await Assertions.Expect(page.PageInfo()).ToHaveTextAsync("1–10 de 25");
        await Assertions.Expect(page.DoctorNames()).ToHaveCountAsync(10);

        // From the keyboard: the header is drawn again with its new arrow, and the focus stays on it.
        await page.GetByTestId("sort-name").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.SortHeader("name")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(page.GetByTestId("sort-name")).ToBeFocusedAsync();
        await page.GetByTestId("sort-name").ClickAsync();
        await Assertions.Expect(page.SortHeader("name")).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(page.DoctorNames().First).ToHaveTextAsync("Dr. Grade 25");

        await page.GetByTestId("next-page").ClickAsync();
        await Assertions.Expect(page.PageInfo()).ToHaveTextAsync("11–20 de 25");
        await Assertions.Expect(page.DoctorNames().First).ToHaveTextAsync("Dr. Grade 15");
        await Assertions.Expect(page.GetByTestId("previous-page")).ToBeEnabledAsync();

        await page.GetByTestId("page-size").SelectOptionAsync("25");
        await Assertions.Expect(page.DoctorNames()).ToHaveCountAsync(25);
        await Assertions.Expect(page.PageInfo()).ToHaveTextAsync("1–25 de 25");
        await Assertions.Expect(page.GetByTestId("next-page")).ToBeDisabledAsync();
        await page.ScreenshotAsync("doctors-sorted-paged");

        await page.Field("doctor-search").FillAsync("grade 1");
        await Assertions.Expect(page.PageInfo()).ToHaveTextAsync("1–10 de 10");
        await Assertions.Expect(page.DoctorNames().First).ToHaveTextAsync("Dr. Grade 19");
    }

    [Fact]
    public async Task A_rows_switch_edit_and_delete_buttons_work_in_the_browser_and_the_other_tab_follows()
    {
        var clinic = await app.CreateAccountAsync();
        var api = app.CreateApiClient((await app.IssueTokenAsync(clinic.AccountId)).Token);
        var id = (int)(await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dr. Linha", "31313", phone: "(81) 3333-4444")))["id"]!;
        var (tab1, tab2) = await OpenTwoTabsAsync(clinic);
        var doctors = app.GetService<DoctorService>();

        // The switch shows the server's answer: the row drawn again, checked, in both tabs.
        await tab1.DoctorRow("31313").GetByTestId("doctor-busy").ClickAsync();
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Assertions.Expect(tab.DoctorRow("31313").GetByTestId("doctor-busy")).ToBeCheckedAsync(new() { Timeout = (float)Second.TotalMilliseconds });
        }

        Assert.True((await doctors.GetAsync(clinic.AccountId, id)).Value!.IsBusy);
        await Assertions.Expect(tab1.GetByText("Dr. Linha agora está ocupado")).ToBeVisibleAsync();

        // Edit opens the dialog filled with the row's doctor.
        await tab1.GetByRole(AriaRole.Button, new() { Name = "Editar Dr. Linha", Exact = true }).ClickAsync();
        await Assertions.Expect(tab1.Field("doctor-name-input")).ToHaveValueAsync("Dr. Linha");
        await tab1.Field("doctor-name-input").FillAsync("Dr. Linha Editado");
        await tab1.GetByTestId("save-doctor").ClickAsync();
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Assertions.Expect(tab.DoctorRow("31313").GetByTestId("doctor-name")).ToHaveTextAsync("Dr. Linha Editado", new() { Timeout = (float)Second.TotalMilliseconds });
        }

        // Delete asks first; cancelling keeps the doctor, confirming removes it from both tabs.
        await tab1.DoctorRow("31313").GetByTestId("delete-doctor").ClickAsync();
        await tab1.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Assertions.Expect(tab1.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.True((await doctors.GetAsync(clinic.AccountId, id)).Succeeded);

        await tab1.DoctorRow("31313").GetByTestId("delete-doctor").ClickAsync();
        await tab1.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Excluir" }).ClickAsync();
        foreach (var tab in new[] { tab1, tab2 })
        {
            await Assertions.Expect(tab.DoctorRow("31313")).ToHaveCountAsync(0, new() { Timeout = (float)Second.TotalMilliseconds });
        }

        Assert.False((await doctors.GetAsync(clinic.AccountId, id)).Succeeded);
    }

    private async Task<IPage> OpenDoctorsAsync(AccountCreated clinic, string locale = "pt-BR")
    {
        var page = await Browser.NewPageAsync(locale);
        await page.SignInAsync(app.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/doctors");
        return page;
    }

    private async Task<(IPage First, IPage Second)> OpenTwoTabsAsync(AccountCreated clinic)
    {
        var first = await OpenDoctorsAsync(clinic);
        var second = await first.Context.NewPageAsync();
        await second.OpenAsync(app.BaseAddress, "/doctors");
        await second.GetByTestId("doctors-grid").WaitForAsync();
        return (first, second);
    }

}
