using System.Security.Claims;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ImageMais.Clinic.Tests.Features.AccessTokens;

public sealed class AccessTokenServiceTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>, IAsyncLifetime
{
    private AccountCreated _account = null!;

    private AccessTokenService Tokens => database.Services.GetRequiredService<AccessTokenService>();

    public async Task InitializeAsync()
    {
        _account = (await database.Services.GetRequiredService<AccountService>()
            .CreateAsync("Clínica Tokens", $"tokens-{Guid.NewGuid():N}@example.com")).Value!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_token_carries_its_account_user_and_id_and_its_text_is_never_stored()
    {
        var issued = (await Tokens.IssueAsync(_account.AccountId, label: "  Integração RIS  ")).Value!;

        var principal = await ValidateAsync(issued.Token);
        Assert.Equal(issued.Id, principal.FindFirstValue(AccessTokenClaims.TokenId));
        Assert.Equal(_account.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture), principal.FindFirstValue(AccessTokenClaims.AccountId));
        Assert.Equal(_account.MasterUserId.ToString(System.Globalization.CultureInfo.InvariantCulture), principal.FindFirstValue(AccessTokenClaims.UserId));

        await using var db = database.ClinicDb.ForAccount(_account.AccountId);
        var record = await db.AccessTokens.SingleAsync(t => t.Id == issued.Id);
        Assert.Equal("Integração RIS", record.Label);
        Assert.Equal(issued.Token[^8..], record.Hint);
        Assert.Equal(TimeSpan.FromHours(1), record.ExpiresAt - record.IssuedAt);
        Assert.Equal(issued.ExpiresAt, record.ExpiresAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(61)]
    [InlineData(-5)]
    public async Task A_lifetime_outside_one_to_sixty_minutes_is_refused(double minutes)
    {
        var result = await Tokens.IssueAsync(_account.AccountId, lifetime: TimeSpan.FromMinutes(minutes));

        Assert.Equal(["lifetimeMinutes"], result.Failure!.Errors!.Keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    public async Task A_lifetime_of_one_to_sixty_minutes_is_accepted(int minutes)
    {
        var issued = (await Tokens.IssueAsync(_account.AccountId, lifetime: TimeSpan.FromMinutes(minutes))).Value!;

        Assert.InRange(issued.ExpiresAt, DateTime.UtcNow.AddMinutes(minutes).AddSeconds(-5), DateTime.UtcNow.AddMinutes(minutes));
    }

    [Fact]
    public async Task A_label_longer_than_100_characters_is_refused()
    {
        var result = await Tokens.IssueAsync(_account.AccountId, label: new string('x', AccessToken.LabelMaxLength + 1));

        Assert.Equal(["label"], result.Failure!.Errors!.Keys);
    }

    [Fact]
    public async Task A_token_for_an_account_that_does_not_exist_is_refused()
    {
        Assert.Equal(FailureKind.NotFound, (await Tokens.IssueAsync(int.MaxValue)).Failure!.Kind);
    }

    [Fact]
    public async Task A_revoked_token_is_no_longer_accepted_and_cannot_be_revoked_twice()
    {
        var issued = (await Tokens.IssueAsync(_account.AccountId)).Value!;
        var principal = await ValidateAsync(issued.Token);
        Assert.NotNull(await Tokens.CheckAsync(principal));

        Assert.True((await Tokens.RevokeAsync(_account.AccountId, issued.Id)).Succeeded);

        Assert.Null(await Tokens.CheckAsync(principal));
        Assert.False(await Tokens.IsActiveAsync(issued.Id));
        Assert.Equal(FailureKind.Conflict, (await Tokens.RevokeAnyAsync(issued.Id)).Failure!.Kind);
    }

    [Fact]
    public async Task An_account_cannot_revoke_another_accounts_token()
    {
        var other = (await database.Services.GetRequiredService<AccountService>()
            .CreateAsync("Outra", $"outra-{Guid.NewGuid():N}@example.com")).Value!;
        var issued = (await Tokens.IssueAsync(other.AccountId)).Value!;

        Assert.Equal(FailureKind.NotFound, (await Tokens.RevokeAsync(_account.AccountId, issued.Id)).Failure!.Kind);
        Assert.True(await Tokens.IsActiveAsync(issued.Id));
    }

    [Fact]
    public async Task A_signed_token_whose_account_claim_differs_from_its_record_is_refused()
    {
        var issued = (await Tokens.IssueAsync(_account.AccountId)).Value!;
        var principal = await ValidateAsync(issued.Token);
        var forged = new ClaimsPrincipal(new ClaimsIdentity(
            principal.Claims.Where(c => c.Type != AccessTokenClaims.AccountId).Append(new Claim(AccessTokenClaims.AccountId, "999999"))));

        Assert.Null(await Tokens.CheckAsync(forged));
    }

    [Fact]
    public async Task A_tampered_token_fails_validation()
    {
        var issued = (await Tokens.IssueAsync(_account.AccountId)).Value!;
        var parts = issued.Token.Split('.');
        var tampered = string.Join('.', parts[0], parts[1].Replace(parts[1][^2..], parts[1][^2..] == "AA" ? "BB" : "AA", StringComparison.Ordinal), parts[2]);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(tampered, Tokens.ValidationParameters());

        Assert.False(result.IsValid);
    }

    private async Task<ClaimsPrincipal> ValidateAsync(string token)
    {
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, Tokens.ValidationParameters());
        Assert.True(result.IsValid, result.Exception?.Message);
        return new ClaimsPrincipal(result.ClaimsIdentity);
    }
}
