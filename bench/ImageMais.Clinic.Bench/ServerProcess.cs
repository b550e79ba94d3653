using ImageMais.Clinic.BenchKit;

namespace ImageMais.Clinic.Bench;

/// <summary>
/// The app under test: built in Release and started as its own process on a free loopback port with a fresh
/// SQLite file, the way an operator runs it (<c>dotnet ImageMais.Clinic.Web.dll</c>, Production).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly BenchDatabase _database;
    private readonly ClinicInstance _app;

    private ServerProcess(BenchDatabase database, ClinicInstance app)
    {
        _database = database;
        _app = app;
    }

    public Uri Url => _app.Url;

    public int Pid => _app.Pid;

    public static async Task<ServerProcess> StartAsync(bool build)
    {
        var dll = await ClinicInstance.ReleaseBuildAsync(build);
        var database = BenchDatabase.Create("imagemais-bench");
        try
        {
            var app = await ClinicInstance.StartAsync(dll, database.AppEnvironment());
            await database.LoadSigningKeyAsync();
            return new ServerProcess(database, app);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an account and issues one of its tokens, through the same services as the ops command line.</summary>
    public async Task<string> CreateAccountWithTokenAsync(int number) =>
        (await _database.CreateAccountWithTokenAsync($"Clínica Bench {number}", $"master{number}-{Guid.NewGuid():N}@bench.example", label: "bench")).Token;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
