using System.CommandLine;
using ImageMais.Clinic.Features.Accounts;

namespace ImageMais.Clinic.Web.Cli;

/// <summary><c>accounts create --name NAME --master-email EMAIL [--master-password PW]</c></summary>
public static class AccountCommands
{
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.Ordinal)
    {
        ["name"] = "--name",
        ["masterEmail"] = "--master-email",
        ["masterPassword"] = "--master-password",
    };

    public static Command Create(CliConsole console)
    {
        var name = new Option<string>("--name") { Description = "The clinic's name.", Required = true };
        var masterEmail = new Option<string>("--master-email") { Description = "E-mail of the account's master user.", Required = true };
        var masterPassword = new Option<string>("--master-password")
        {
            Description = "The master user's password; a strong one is generated (and printed) when omitted.",
        };

        var create = new Command("create", "Creates a clinic account and its master user.") { name, masterEmail, masterPassword };
        create.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(console, prepareDatabase: true, async (services, ct) =>
        {
            var result = await services.GetRequiredService<AccountService>().CreateAsync(
                parseResult.GetValue(name), parseResult.GetValue(masterEmail), parseResult.GetValue(masterPassword), ct);
            return console.Write(result, OptionOfField);
        }, cancellationToken));

        return new Command("accounts", "Clinic accounts (licences).") { create };
    }
}
