using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>Page objects of the browser app's sign-in and shared layout.</summary>
public static partial class StaffPages
{
    /// <summary>Fills and submits the embedded provider's login form (the page must be showing it).</summary>
    public static async Task SubmitLoginAsync(this IPage page, string email, string password)
    {
        await page.WaitForURLAsync(LoginPage());
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
    }

    /// <summary>Opens <paramref name="path"/>, signs in on the login page the app sends the browser to, and waits until the page is interactive.</summary>
    public static async Task SignInAsync(this IPage page, Uri app, string email, string password, string path = "/")
    {
        await page.GotoAsync(new Uri(app, $"/account/signin?returnUrl={Uri.EscapeDataString(path)}").ToString());
        await page.SubmitLoginAsync(email, password);
        await page.WaitForURLAsync(new Uri(app, path).ToString());
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Waits for the marker the layout sets once the circuit is live (clicks before that do nothing).</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public static async Task SignOutAsync(this IPage page)
    {
        await page.GetByTestId("user-menu").Locator("button").First.ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();
        await page.GetByTestId("signed-out").WaitForAsync();
    }

    [GeneratedRegex("/account/login")]
    public static partial Regex LoginPage();
}
