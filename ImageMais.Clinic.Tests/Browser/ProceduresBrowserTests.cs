using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>The Procedures page in a real browser.</summary>
public sealed class ProceduresBrowserTests(ClinicApp app, BrowserFixture browser) : BrowserTest(browser), IClassFixture<ClinicApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_procedure_is_created_with_a_Brazilian_price_and_deleting_it_while_linked_names_the_doctors()
    {
        var clinic = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/procedures");

        await page.OpenEditorAsync("new-procedure", "procedure-name-input");
        await page.Field("procedure-name-input").FillAsync("Ressonância magnética");
        await page.Field("procedure-price-input").FillAsync("1.234,5");
        await page.GetByTestId("save-procedure").ClickAsync();
        await Assertions.Expect(page.GetByTestId("procedure-price")).ToHaveTextAsync("R$ 1.234,50");

        await page.OpenAsync(app.BaseAddress, "/doctors");
        await page.CreateDoctorAsync("Dra. Beatriz Lima", "9090", "beatriz@example.com", "(81) 98888-7777", "Ressonância magnética");
        await Assertions.Expect(page.DoctorRow("9090")).ToBeVisibleAsync();

        await page.OpenAsync(app.BaseAddress, "/procedures");
        await page.GetByTestId("delete-procedure").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Excluir", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("linked-doctor")).ToHaveTextAsync(["Dra. Beatriz Lima"]);
        await Assertions.Expect(page.GetByTestId("procedure-name")).ToHaveTextAsync(["Ressonância magnética"]);
        await page.ScreenshotAsync("procedures");
    }

    [Fact]
    public async Task The_pages_speak_English_when_the_browser_asks_for_it_and_keep_prices_in_reais()
    {
        var clinic = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync(locale: "en-US");
        await page.SignInAsync(app.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/doctors");

        await Assertions.Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Doctors");
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No doctors yet");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", "Light theme");
        await Assertions.Expect(page.PageInfo()).ToHaveTextAsync("0–0 of 0");
        await Assertions.Expect(page.GetByText("Rows per page:")).ToBeVisibleAsync();
        await page.ScreenshotAsync("doctors-en-dark");
    }
}
