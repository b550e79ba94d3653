using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>Page objects of the Doctors, Procedures and Access tokens pages.</summary>
public static class ClinicPages
{
    /// <summary>Where screenshots of each page are kept as test artifacts (git-ignored).</summary>
    public static readonly string ScreenshotFolder = Path.Combine(Repository.Root, "TestResults", "screenshots");

    /// <summary>The input of the MudBlazor field marked <paramref name="testId"/> (the mark sits on the input or around it).</summary>
    public static ILocator Field(this IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    /// <summary>The row of the doctors grid whose CRM is <paramref name="crm"/>.</summary>
    public static ILocator DoctorRow(this IPage page, string crm) =>
        page.Locator("[data-testid=doctors-grid] tbody tr").Filter(new() { Has = page.Locator($"[data-testid=doctor-crm]:text-is('{crm}')") });

    /// <summary>The names in the doctors grid's rows, top to bottom.</summary>
    public static ILocator DoctorNames(this IPage page) =>
        page.Locator("[data-testid=doctors-grid] tbody [data-testid=doctor-name]");

    /// <summary>The header cell of the doctors grid's column <paramref name="column"/> (name, crm, email, phone, busy, updated), which carries aria-sort.</summary>
    public static ILocator SortHeader(this IPage page, string column) =>
        page.Locator("[data-testid=doctors-grid] thead th").Filter(new() { Has = page.GetByTestId($"sort-{column}") });

    /// <summary>The pager's "1–10 de 100".</summary>
    public static ILocator PageInfo(this IPage page) => page.GetByTestId("page-info");

    public static async Task OpenAsync(this IPage page, Uri app, string path)
    {
        await page.GotoAsync(new Uri(app, path).ToString());
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Clicks the button that opens an editor dialog and waits until its first field can be typed in.</summary>
    public static async Task OpenEditorAsync(this IPage page, string buttonTestId, string firstFieldTestId)
    {
        await page.GetByTestId(buttonTestId).ClickAsync();
        await Assertions.Expect(page.Field(firstFieldTestId)).ToBeEditableAsync();
    }

    public static async Task CreateDoctorAsync(this IPage page, string name, string crm, string email, string phone, params string[] procedures)
    {
        await page.OpenEditorAsync("new-doctor", "doctor-name-input");
        await page.Field("doctor-name-input").FillAsync(name);
        await page.Field("doctor-crm-input").FillAsync(crm);
        await page.Field("doctor-email-input").FillAsync(email);
        await page.Field("doctor-phone-input").FillAsync(phone);
        if (procedures.Length > 0)
        {
            await page.GetByTestId("doctor-dialog").GetByRole(AriaRole.Combobox).ClickAsync();
            foreach (var procedure in procedures)
            {
                await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = procedure }).ClickAsync();
            }

            await page.Keyboard.PressAsync("Escape");
        }

        await page.GetByTestId("save-doctor").ClickAsync();
    }

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }
}
