using System.Collections.Concurrent;
using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>
/// The app for hub tests: tokens may live a few seconds (to see a connection closed at expiry), and a hub
/// filter tells when a connection has joined its group, since a client's start completes at the handshake,
/// before the server has run <c>OnConnectedAsync</c>.
/// </summary>
public sealed class RealtimeApp : ClinicApp
{
    public RealtimeApp()
        : base(new Dictionary<string, string?>
        {
            ["AccessTokens:MinLifetime"] = "00:00:01",
            ["Realtime:RevocationCheckInterval"] = "00:00:01",
        })
    {
    }

    public JoinedConnections Joined { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.Configure<HubOptions>(options => options.AddFilter(Joined)));
    }
}

/// <summary>Completes a connection's task once the hub's <c>OnConnectedAsync</c> (group join) has finished.</summary>
public sealed class JoinedConnections : IHubFilter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _joined = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, System.Security.Claims.ClaimsPrincipal> _users = new(StringComparer.Ordinal);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        _users[context.Context.ConnectionId] = context.Context.User!;
        For(context.Context.ConnectionId).TrySetResult();
    }

    /// <summary>The principal a joined connection holds for its lifetime.</summary>
    public System.Security.Claims.ClaimsPrincipal UserOf(string connectionId) => _users[connectionId];

    public Task WhenJoined(string connectionId) => For(connectionId).Task;

    private TaskCompletionSource For(string connectionId) =>
        _joined.GetOrAdd(connectionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
