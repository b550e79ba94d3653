using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ImageMais.Clinic.Web.Hubs;

/// <summary>
/// The public hub (<c>/hubs/accounts</c>): a connection authenticated by an access token joins its account's
/// group and hears that account's events, each with its metadata <c>{seq, at}</c> (docs/realtime.md). Its one
/// method, <see cref="Resume"/>, replays the account's events a client missed; no method lets a client join any
/// other group: the account comes from the token alone.
/// </summary>
[Authorize(Policy = AccessTokenAuthentication.Policy)]
public sealed class AccountsHub(LiveHubConnections liveConnections, HubEventDelivery delivery) : Hub
{
    public const string Path = AccessTokenAuthentication.HubsPath + "/accounts";

    /// <summary>The group of an account's connections, named as in the original system.</summary>
    public static string GroupFor(int accountId) => "orders.account." + accountId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override async Task OnConnectedAsync()
    {
        var user = Context.User ?? throw new InvalidOperationException("The hub admits authenticated connections only.");
        var accountId = user.GetAccountId();
        await delivery.ConnectAsync(Context.ConnectionId, accountId, Context.ConnectionAborted);
        liveConnections.Add(Context, accountId, user.GetAccessTokenId() ?? "");
    }

    /// <summary>
    /// Sends this connection every event of its account numbered after <paramref name="after"/>, in order, then the
    /// live ones, none twice. Answers <c>{"last": L}</c>, or <c>{"reset": true, "last": L}</c> when those events are
    /// no longer kept and the client must reload through the REST API.
    /// </summary>
    public Task<ResumeResult> Resume(long after)
    {
        if (after < 0)
        {
            throw new HubException("after must be 0 or more.");
        }

        return delivery.ResumeAsync(Context.ConnectionId, Context.User!.GetAccountId(), after, Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        // The group membership goes with the connection; only our own registries need telling.
        liveConnections.Remove(Context.ConnectionId);
        delivery.Disconnect(Context.ConnectionId, Context.User!.GetAccountId());
        return Task.CompletedTask;
    }
}
