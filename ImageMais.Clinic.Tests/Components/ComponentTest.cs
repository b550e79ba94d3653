using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Data;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace ImageMais.Clinic.Tests.Components;

/// <summary>
/// bUnit with MudBlazor and loose JS interop, over the real feature services on a real, migrated SQLite file
/// (one per test class), signed in as a staff member of a fresh account.
/// </summary>
public abstract class ComponentTest : BunitContext, IAsyncLifetime, IClassFixture<SqliteDatabase>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    protected ComponentTest(SqliteDatabase database)
    {
        Database = database;
        UseCulture("pt-BR");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddClinicUi();
        Services.AddSingleton(Get<DoctorService>());
        Services.AddSingleton(Get<ProcedureService>());
        Services.AddSingleton(Get<AccessTokenService>());
        Services.AddSingleton(Get<AccountEventFeed>());
        Services.AddSingleton(Get<AccountEventLog>());
        Services.AddSingleton(Get<TimeProvider>());
        Services.AddScoped<ICurrentAccount, CurrentAccount>();
        Authorization = AddAuthorization();

        // As in the app, pages run interactively on the server (after all services are in: this builds the renderer).
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected SqliteDatabase Database { get; }

    protected BunitAuthorizationContext Authorization { get; }

    protected AccountEventFeed Feed => Get<AccountEventFeed>();

    protected DoctorService DoctorService => Get<DoctorService>();

    protected ProcedureService ProcedureService => Get<ProcedureService>();

    protected T Get<T>()
        where T : notnull => Database.Services.GetRequiredService<T>();

    /// <summary>Pages read the language of the request; here, of the test.</summary>
    internal static void UseCulture(string name) =>
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (CultureInfo.GetCultureInfo(name), CultureInfo.GetCultureInfo(name));

    /// <summary>A new clinic account, with its master user.</summary>
    protected Task<AccountCreated> CreateAccountAsync(string? name = null) => Database.Services.CreateAccountAsync(name);

    /// <summary>Signs the test's user in as <paramref name="role"/> of <paramref name="account"/>, with the session's claims.</summary>
    protected void SignIn(AccountCreated account, UserRole role = UserRole.Master, string accountName = "Clínica Teste")
    {
        Authorization.SetAuthorized("Maria Souza");
        Authorization.SetClaims(
            new Claim(ClinicClaims.UserId, account.MasterUserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClinicClaims.AccountId, account.AccountId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClinicClaims.AccountName, accountName),
            new Claim(ClinicClaims.Name, "Maria Souza"),
            new Claim(ClinicClaims.Email, account.MasterEmail),
            new Claim(ClinicClaims.Role, role.ToString()));
        Authorization.SetPolicies(role == UserRole.Master ? [ClinicPolicies.Staff, ClinicPolicies.Master] : [ClinicPolicies.Staff]);
    }

    protected async Task<AccountCreated> SignInNewAccountAsync(UserRole role = UserRole.Master)
    {
        var account = await CreateAccountAsync();
        SignIn(account, role);
        return account;
    }

    protected async Task<ProcedureDto> CreateProcedureAsync(int accountId, string name = "Ultrassom: Tireoide", decimal price = 100m) =>
        (await ProcedureService.CreateAsync(accountId, new ProcedureInput(name, price))).Value!;

    protected async Task<DoctorDto> CreateDoctorAsync(int accountId, string name = "Dr. João Silva", string? crm = null, params int[] procedureIds)
    {
        crm ??= Random.Shared.Next(10_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var result = await DoctorService.CreateAsync(accountId, new DoctorInput(name, crm, $"doc{crm}@example.com", "81999999999", false, procedureIds));
        return result.Value ?? throw new InvalidOperationException(result.Failure!.Message);
    }

    /// <summary>The input element of the MudBlazor field marked <paramref name="testId"/>.</summary>
    protected static AngleSharp.Dom.IElement InputOf(IRenderedComponent<IComponent> component, string testId)
    {
        var marked = component.Find($"[data-testid={testId}]");
        return marked.TagName is "INPUT" or "TEXTAREA" ? marked : marked.QuerySelector("input, textarea")
            ?? throw new InvalidOperationException($"{testId} has no input: {marked.OuterHtml}");
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
