using System.Security.Claims;
using Bunit;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Web.Components.Layout;
using ImageMais.Clinic.Web.Components.Pages.AccessTokens;
using Microsoft.IdentityModel.JsonWebTokens;
using MudBlazor;

namespace ImageMais.Clinic.Tests.Components;

public sealed class AccessTokensPageTests(SqliteDatabase database) : ComponentTest(database)
{
    [Fact]
    public async Task Issuing_shows_the_token_once_with_its_countdown_and_lists_it_as_active_issued_by_the_user()
    {
        var account = await SignInNewAccountAsync();
        var page = Render<AccessTokens>();
        page.WaitForAssertion(() => page.Find("[data-testid=empty-state]"), Timeout);

        InputOf(page, "token-label").Change("Integração PACS");
        page.Find("[data-testid=issue-token]").Click();

        page.WaitForAssertion(() => page.Find("[data-testid=token-text]"), Timeout);
        var token = page.Find("[data-testid=token-text]").TextContent;
        var identity = await IdentifyAsync(token);
        Assert.Equal(account.AccountId, identity?.AccountId);
        Assert.Equal(account.MasterUserId, identity?.UserId);
        Assert.Matches(@"^Expira em (59:5\d|60:00) \(", page.Find("[data-testid=token-countdown]").TextContent);

        // The countdown runs: the page draws itself again each second while the issued token is shown.
        var countdown = page.Find("[data-testid=token-countdown]").TextContent;
        page.WaitForAssertion(() => Assert.NotEqual(countdown, page.Find("[data-testid=token-countdown]").TextContent), Timeout);
        Assert.Equal("Ativo", page.Find("[data-testid=token-status]").TextContent);
        Assert.Equal("Integração PACS", page.Find("[data-testid=token-row-label]").TextContent);

        // Shown once: a fresh visit lists the token without its text.
        await DisposeComponentsAsync();
        var again = Render<AccessTokens>();
        again.WaitForAssertion(() => Assert.Single(again.FindAll("[data-testid=token-status]")), Timeout);
        Assert.DoesNotContain(token, again.Markup, StringComparison.Ordinal);
        Assert.Contains(token[^8..], again.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_copy_button_puts_the_token_on_the_clipboard()
    {
        await SignInNewAccountAsync();
        var copy = JSInterop.Setup<bool>("clinic.copyText", _ => true);
        copy.SetResult(true);
        var page = Render<AccessTokens>();
        page.WaitForAssertion(() => page.Find("[data-testid=issue-token]").Click(), Timeout);
        page.WaitForAssertion(() => page.Find("[data-testid=token-text]"), Timeout);

        page.Find("[data-testid=copy-token]").Click();

        var call = Assert.Single(copy.Invocations);
        Assert.Equal(page.Find("[data-testid=token-text]").TextContent, call.Arguments[0]);
    }

    [Fact]
    public async Task Revoking_asks_first_and_then_the_token_stops_working()
    {
        var account = await SignInNewAccountAsync();
        var issued = (await Get<AccessTokenService>().IssueAsync(account.AccountId, account.MasterUserId, "Antigo")).Value!;
        var dialogs = Render<MudDialogProvider>();
        var page = Render<AccessTokens>();
        page.WaitForAssertion(() => page.Find("[data-testid=revoke-token]").Click(), Timeout);

        dialogs.WaitForAssertion(() => Assert.Contains("Revogar o token “Antigo”", dialogs.Markup, StringComparison.Ordinal), Timeout);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revogar").Click();

        page.WaitForAssertion(() => Assert.Equal("Revogado", page.Find("[data-testid=token-status]").TextContent), Timeout);
        Assert.Empty(page.FindAll("[data-testid=revoke-token]"));
        Assert.Null(await IdentifyAsync(issued.Token));
    }

    /// <summary>Who the token speaks for, checked the way the API's bearer scheme checks it; <c>null</c> when refused.</summary>
    private async Task<AccessTokenIdentity?> IdentifyAsync(string token)
    {
        var service = Get<AccessTokenService>();
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, service.ValidationParameters());
        return validated.IsValid ? await service.CheckAsync(new ClaimsPrincipal(validated.ClaimsIdentity)) : null;
    }
}
