using System.Globalization;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Users;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>Staff sign-in through the embedded OpenID provider, in a real browser against the app on a real port.</summary>
public sealed class SignInTests(ClinicApp app, BrowserFixture browser) : BrowserTest(browser), IClassFixture<ClinicApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_master_signs_in_through_the_embedded_provider_and_lands_on_the_page_asked_for()
    {
        var account = await app.CreateAccountAsync("Clínica Boa Vista");
        var page = await Browser.NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());
        Assert.Matches(StaffPages.LoginPage(), page.Url);
        await page.SubmitLoginAsync(account.MasterEmail, account.MasterPassword);

        // The URL is enough: the page then has to become interactive, which says more than its "load" event.
        await page.WaitForURLAsync(new Uri(app.BaseAddress, "/users").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("clinic-name")).ToHaveTextAsync("Clínica Boa Vista");
        await Assertions.Expect(page.GetByTestId("user-email")).ToHaveTextAsync(account.MasterEmail);
    }

    [Fact]
    public async Task The_session_cookie_keeps_the_clinic_claims_and_the_id_token_only()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();

        await page.SignInAsync(app.BaseAddress, account.MasterEmail, account.MasterPassword, "/doctors");

        // The cookie manager splits a large cookie into chunks (__clinic_session = "chunks-N", then …C1 … CN).
        var jar = (await page.Context.CookiesAsync()).ToDictionary(c => c.Name, c => c.Value);
        var value = jar["__clinic_session"];
        if (value.StartsWith("chunks-", StringComparison.Ordinal))
        {
            value = string.Concat(Enumerable.Range(1, int.Parse(value["chunks-".Length..], CultureInfo.InvariantCulture)).Select(i => jar[$"__clinic_sessionC{i}"]));
        }

        var format = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(StaffSignIn.CookieScheme).TicketDataFormat;
        var ticket = format.Unprotect(value);
        Assert.NotNull(ticket);
        Assert.Equal(account.AccountId.ToString(CultureInfo.InvariantCulture), ticket.Principal.FindFirst(ClinicClaims.AccountId)?.Value);
        Assert.Equal(["id_token"], ticket.Properties.GetTokens().Select(t => t.Name));
    }

    [Fact]
    public async Task A_wrong_password_shows_a_message_and_signs_nobody_in()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());

        await page.SubmitLoginAsync(account.MasterEmail, "Wrong-password-123");

        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("E-mail ou senha incorretos.");
        Assert.Matches(StaffPages.LoginPage(), page.Url);
    }

    [Fact]
    public async Task The_login_page_speaks_English_when_the_browser_asks_for_it()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync(locale: "en-US");
        await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());

        await page.SubmitLoginAsync(account.MasterEmail, "Wrong-password-123");

        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("Wrong e-mail or password.");

        // And so do the pages behind it, from the same resource files.
        await page.SubmitLoginAsync(account.MasterEmail, account.MasterPassword);
        await page.WaitForURLAsync(new Uri(app.BaseAddress, "/users").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("create-user")).ToHaveTextAsync("Create");
        await Assertions.Expect(page.GetByTestId("sign-out")).ToContainTextAsync("Sign out");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_out_even_for_the_right_password()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());

        for (var attempt = 1; attempt <= UsersServiceCollectionExtensions.MaxFailedSignIns; attempt++)
        {
            await page.SubmitLoginAsync(account.MasterEmail, $"Wrong-password-{attempt}");
            await page.GetByTestId("signin-error").WaitForAsync();
        }

        await page.SubmitLoginAsync(account.MasterEmail, account.MasterPassword);

        await Assertions.Expect(page.GetByTestId("signin-error")).ToContainTextAsync("bloqueado");
        Assert.Matches(StaffPages.LoginPage(), page.Url);
    }

    [Fact]
    public async Task A_staff_user_gets_a_403_access_denied_page_on_the_users_page()
    {
        var account = await app.CreateAccountAsync();
        var staff = await CreateUserAsync(account.AccountId, UserRole.Staff);
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, staff.Email, staff.Password);

        var response = await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByTestId("access-denied")).ToHaveTextAsync("Acesso negado");
        await Assertions.Expect(page.GetByTestId("clinic-name")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("users-table")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Two_clinics_never_see_each_others_users()
    {
        var first = await app.CreateAccountAsync();
        var second = await app.CreateAccountAsync();
        var secondStaff = await CreateUserAsync(second.AccountId, UserRole.Staff);
        var page = await Browser.NewPageAsync();

        await page.SignInAsync(app.BaseAddress, first.MasterEmail, first.MasterPassword, "/users");

        var emails = page.GetByTestId("user-email");
        await Assertions.Expect(emails).ToHaveTextAsync([first.MasterEmail]);
        Assert.DoesNotContain(second.MasterEmail, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secondStaff.Email, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, account.MasterEmail, account.MasterPassword, "/users");

        await page.SignOutAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());

        // Both the app's session and the provider's are gone: the login form asks again.
        Assert.Matches(StaffPages.LoginPage(), page.Url);
        await Assertions.Expect(page.Locator("#password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_master_creates_a_staff_user_whose_password_is_shown_once_and_works()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, account.MasterEmail, account.MasterPassword, "/users");
        var email = $"staff-{Guid.NewGuid():N}@example.com";

        await page.Locator("[data-testid=new-user-email] input, input[data-testid=new-user-email]").FillAsync(email);
        await page.Locator("[data-testid=new-user-name] input, input[data-testid=new-user-name]").FillAsync("Paula Atendimento");
        await page.Keyboard.PressAsync("Tab");
        await page.GetByTestId("create-user").ClickAsync();

        var password = await page.GetByTestId("password").TextContentAsync();
        Assert.False(string.IsNullOrEmpty(password));
        await Assertions.Expect(page.GetByTestId("user-email")).ToContainTextAsync([email]);

        var staffPage = await Browser.NewPageAsync();
        await staffPage.SignInAsync(app.BaseAddress, email, password!);
        await staffPage.GetByTestId("user-menu").Locator("button").First.ClickAsync();
        await Assertions.Expect(staffPage.GetByTestId("user-name")).ToHaveTextAsync("Paula Atendimento");
        await Assertions.Expect(staffPage.GetByTestId("user-role")).ToHaveTextAsync("Staff");
    }

    [Fact]
    public async Task The_users_page_refuses_to_disable_the_last_active_master()
    {
        var account = await app.CreateAccountAsync();
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, account.MasterEmail, account.MasterPassword, "/users");

        await page.GetByTestId("disable-user").ClickAsync();

        await Assertions.Expect(page.GetByTestId("users-error")).ToContainTextAsync("último master ativo");
        await Assertions.Expect(page.GetByTestId("disable-user")).ToHaveCountAsync(1);
    }

    private async Task<IssuedPassword> CreateUserAsync(int accountId, UserRole role)
    {
        var result = await app.GetService<UserService>().CreateAsync(
            accountId, new NewUserInput($"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com", $"{role} user", role));
        return result.Value ?? throw new InvalidOperationException(result.Failure!.Message);
    }
}
