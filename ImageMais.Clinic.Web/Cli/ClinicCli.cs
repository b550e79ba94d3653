using System.CommandLine;

namespace ImageMais.Clinic.Web.Cli;

/// <summary>
/// The ops command line of the same executable: <c>accounts create</c>, <c>tokens issue</c>, <c>tokens revoke</c>,
/// <c>migrate</c>. Each command prints one JSON object on stdout; bad input exits non-zero with one line on stderr.
/// </summary>
public static class ClinicCli
{
    /// <summary>Exit code of a command that did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the input was well-formed but refused (a rule broken, an account or token not found).</summary>
    public const int Refused = 1;

    /// <summary>Exit code of a malformed command line (unknown command, missing or unparsable option).</summary>
    public const int UsageError = 2;

    private static readonly string[] HelpOrVersion = ["--help", "-h", "-?", "--version"];

    /// <summary>
    /// Whether <paramref name="args"/> ask for a command rather than the web app. The web host takes options
    /// (<c>--urls …</c>) and <c>key=value</c> settings, so a first word that is neither is a command — a mistyped
    /// one included, which then fails loudly instead of starting a server.
    /// </summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 &&
        (HelpOrVersion.Contains(args[0], StringComparer.Ordinal) ||
         (!args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal)));

    public static async Task<int> RunAsync(string[] args)
    {
        var console = new CliConsole(Console.Out, Console.Error);
        var root = new RootCommand("ImageMais Clinic operations. Uses the web app's configuration (appsettings, environment variables).")
        {
            AccountCommands.Create(console),
            TokenCommands.Create(console),
            MigrateCommand.Create(console),
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            console.Error(string.Join(" ", parseResult.Errors.Select(e => e.Message)));
            return UsageError;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration
        {
            Output = Console.Out,
            Error = Console.Error,

            // CliHost turns every failure into one line on stderr; the default handler would print a stack trace.
            EnableDefaultExceptionHandler = false,
        });
    }
}
