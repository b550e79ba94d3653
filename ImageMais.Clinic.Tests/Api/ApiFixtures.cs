using ImageMais.Clinic.Features.Accounts;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// The app with one account holding a procedure and a doctor who performs it, made once for a test class
/// (xunit makes a new test-class instance per test, so per-class state belongs in the fixture).
/// </summary>
public class ApiAccountApp : ClinicApp
{
    public AccountCreated Created { get; private set; } = null!;

    public ApiAccount Account { get; private set; } = null!;

    public int ProcedureId { get; private set; }

    public int DoctorId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Created = await CreateAccountAsync();
        var token = await IssueTokenAsync(Created.AccountId);
        Account = new ApiAccount(Created.AccountId, token.Token, token.Id, CreateApiClient(token.Token));
        ProcedureId = (await Account.Client.CreateProcedureAsync())["id"]!.GetValue<int>();
        DoctorId = (await Account.Client.CreateDoctorAsync(DoctorBody(procedureIds: [ProcedureId])))["id"]!.GetValue<int>();
    }

    /// <summary><paramref name="path"/> with <c>{procedure}</c> and <c>{doctor}</c> replaced by this account's ids.</summary>
    public string Url(string path) =>
        path.Replace("{procedure}", ProcedureId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{doctor}", DoctorId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
