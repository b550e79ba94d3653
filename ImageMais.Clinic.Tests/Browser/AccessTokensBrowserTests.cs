using System.Net;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>The Access tokens page in a real browser: a token issued there works with the REST API and the hub.</summary>
public sealed class AccessTokensBrowserTests(RealtimeApp app, BrowserFixture browser) : BrowserTest(browser), IClassFixture<RealtimeApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_token_issued_on_the_page_works_with_the_REST_API_and_the_hub()
    {
        var clinic = await app.CreateAccountAsync("Clínica Aurora");
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/access-tokens");

        await page.Field("token-label").FillAsync("Integração PACS");
        await page.GetByTestId("issue-token").ClickAsync();
        var token = (await page.GetByTestId("token-text").TextContentAsync())!.Trim();
        await Assertions.Expect(page.GetByTestId("token-countdown")).ToContainTextAsync("Expira em 59:");
        await Assertions.Expect(page.GetByTestId("token-status")).ToHaveTextAsync("Ativo");
        await page.ScreenshotAsync("access-tokens");

        var api = app.CreateApiClient(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/doctors")).StatusCode);
        await using var listener = await HubListener.ConnectAsync(app, token);
        await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dr. Via Token", "31313"));
        var heard = await listener.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, heard.Name);
        Assert.Equal("31313", heard.Payload!["crm"]!.GetValue<string>());

        // Revoked on the page: the API refuses it from then on.
        await page.GetByTestId("revoke-token").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revogar", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("token-status")).ToHaveTextAsync("Revogado");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/doctors")).StatusCode);
    }

    [Fact]
    public async Task A_staff_member_cannot_open_the_access_tokens_page()
    {
        var clinic = await app.CreateAccountAsync();
        var staff = (await app.GetService<ImageMais.Clinic.Features.Users.UserService>().CreateAsync(clinic.AccountId, new ImageMais.Clinic.Features.Users.NewUserInput($"staff-{Guid.NewGuid():N}@example.com", "Ana Staff", ImageMais.Clinic.Domain.UserRole.Staff))).Value!;
        var page = await Browser.NewPageAsync();
        await page.SignInAsync(app.BaseAddress, staff.Email, staff.Password, "/doctors");

        await Assertions.Expect(page.GetByTestId("nav-access-tokens")).ToHaveCountAsync(0);
        var response = await page.GotoAsync(new Uri(app.BaseAddress, "/access-tokens").ToString());

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
    }
}
