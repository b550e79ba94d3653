using System.CommandLine;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Web.Hosting;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Cli;

/// <summary><c>migrate</c>: applies pending migrations on the configured provider (how SQL Server schemas are deployed).</summary>
public static class MigrateCommand
{
    public static Command Create(CliConsole console)
    {
        var migrate = new Command("migrate", "Applies pending database migrations (SQLite or SQL Server, as configured).");
        migrate.SetAction((_, cancellationToken) => CliHost.RunAsync(console, prepareDatabase: false, async (services, ct) =>
        {
            var applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var provider = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
            return console.Write(new Migrated(provider.ToString(), applied));
        }, cancellationToken));
        return migrate;
    }

    private sealed record Migrated(string Provider, IReadOnlyList<string> Applied);
}
