using ImageMais.Clinic.Web.Hosting;

namespace ImageMais.Clinic.Web.Cli;

/// <summary>
/// The services a command runs with: the web app's configuration and database registration, without its HTTP
/// side. The host is built but never started, so no port is opened.
/// </summary>
public static class CliHost
{
    /// <summary>
    /// Runs <paramref name="command"/> against the app's services. Unless <paramref name="prepareDatabase"/> is
    /// false, the database is first prepared exactly as at web start (SQLite migrated, signing key loaded).
    /// Any unexpected failure becomes one line on stderr.
    /// </summary>
    public static async Task<int> RunAsync(
        CliConsole console, bool prepareDatabase, Func<IServiceProvider, CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = Build();
            if (prepareDatabase)
            {
                await app.PrepareDatabaseAsync();
            }

            return await command(app.Services, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return console.Error("Cancelled.");
        }
        catch (Exception ex)
        {
            return console.Error($"{ex.GetType().Name}: {(ex.GetBaseException() is { } inner && inner != ex ? $"{ex.Message} {inner.Message}" : ex.Message)}");
        }
    }

    private static WebApplication Build()
    {
        // The command's own arguments are not configuration: only appsettings and environment variables are read.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });

        // stdout carries the JSON result alone; logs go to stderr, warnings and worse only.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);

        builder.AddClinicDatabase();
        builder.Services.AddClinicFeatures();
        return builder.Build();
    }
}
