using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ImageMais.Clinic.Web.Hubs;

/// <summary>
/// The public hub (<c>/hubs/accounts</c>): a connection authenticated by an access token joins its account's
/// group and hears that account's events (docs/realtime.md). It offers no method to call, so no client can
/// join any other group; the account comes from the token alone.
/// </summary>
[Authorize(Policy = AccessTokenAuthentication.Policy)]
public sealed class AccountsHub(LiveHubConnections liveConnections) : Hub
{
    public const string Path = AccessTokenAuthentication.HubsPath + "/accounts";

    /// <summary>The group of an account's connections, named as in the original system.</summary>
    public static string GroupFor(int accountId) => "orders.account." + accountId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override async Task OnConnectedAsync()
    {
        var user = Context.User ?? throw new InvalidOperationException("The hub admits authenticated connections only.");
        var accountId = user.GetAccountId();
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupFor(accountId), Context.ConnectionAborted);
        liveConnections.Add(Context, accountId, user.GetAccessTokenId() ?? "");
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        // The group membership goes with the connection; only our own registry needs telling.
        liveConnections.Remove(Context.ConnectionId);
        return Task.CompletedTask;
    }
}
