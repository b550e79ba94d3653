using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ImageMais.Clinic.Web.Realtime;

/// <summary>
/// The hub connections open on this instance, with the access token each came with, so that a connection
/// whose token is revoked can be closed (<see cref="AccessTokenRevocationWatcher"/>).
/// </summary>
public sealed class LiveHubConnections
{
    private readonly ConcurrentDictionary<string, LiveHubConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(HubCallerContext context, int accountId, string tokenId) =>
        _connections[context.ConnectionId] = new LiveHubConnection(context, accountId, tokenId);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public IReadOnlyCollection<LiveHubConnection> Snapshot() => [.. _connections.Values];
}

/// <summary>One open hub connection: who it is, which account it hears, which token let it in.</summary>
public sealed record LiveHubConnection(HubCallerContext Context, int AccountId, string TokenId);
