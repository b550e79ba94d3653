using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Features.Json;

namespace ImageMais.Clinic.Web.Cli;

/// <summary>
/// <c>tokens issue --account ID [--name LABEL] [--lifetime-minutes N]</c> and <c>tokens revoke --id ID</c>.
/// </summary>
public static class TokenCommands
{
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.Ordinal)
    {
        ["label"] = "--name",
        ["lifetimeMinutes"] = "--lifetime-minutes",
    };

    public static Command Create(CliConsole console) =>
        new("tokens", "API access tokens.") { Issue(console), Revoke(console) };

    private static Command Issue(CliConsole console)
    {
        var account = new Option<int>("--account")
        {
            Description = "Id of the account the token speaks for.",
            Required = true,
            CustomParser = result =>
            {
                if (int.TryParse(result.Tokens.Single().Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
                {
                    return id;
                }

                result.AddError($"Option '--account' must be a positive account id, not '{result.Tokens.Single().Value}'.");
                return 0;
            },
        };
        var label = new Option<string>("--name") { Description = "A label to recognise the token by (default \"API\")." };
        var lifetime = new Option<int>("--lifetime-minutes")
        {
            Description = "Minutes the token is valid, from 1 to 60.",
            DefaultValueFactory = _ => 60,
        };

        var issue = new Command("issue", "Issues an access token, recorded as issued by the account's master user.") { account, label, lifetime };
        issue.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(console, prepareDatabase: true, async (services, ct) =>
        {
            var result = await services.GetRequiredService<AccessTokenService>().IssueAsync(
                parseResult.GetValue(account),
                label: parseResult.GetValue(label),
                lifetime: TimeSpan.FromMinutes(parseResult.GetValue(lifetime)),
                cancellationToken: ct);
            return result.Value is { } issued
                ? console.Write(new IssuedToken(issued.Id, issued.Token, issued.ExpiresAt))
                : console.Write(result, OptionOfField);
        }, cancellationToken));
        return issue;
    }

    private static Command Revoke(CliConsole console)
    {
        var id = new Option<string>("--id") { Description = "Id of the token (as printed by 'tokens issue').", Required = true };

        var revoke = new Command("revoke", "Revokes an access token at once.") { id };
        revoke.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(console, prepareDatabase: true, async (services, ct) =>
        {
            var tokenId = parseResult.GetValue(id)!.Trim();
            var result = await services.GetRequiredService<AccessTokenService>().RevokeAnyAsync(tokenId, ct);
            return result.Succeeded
                ? console.Write(new RevokedToken(tokenId, Revoked: true))
                : console.Error(result.Failure!.Message);
        }, cancellationToken));
        return revoke;
    }

    /// <summary>What <c>tokens issue</c> prints; the token text is shown this once.</summary>
    private sealed record IssuedToken(string Id, string Token, [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime ExpiresAt);

    private sealed record RevokedToken(string Id, bool Revoked);
}
