using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// Tells the circuit's components when the browser has come back after the connection dropped, so live pages draw
/// their lists again: the events of that time reached the lists, not necessarily the screen.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    private int _wasDown;

    /// <summary>Raised, on the circuit's handler thread, each time the connection is up again after a drop.</summary>
    public event Func<Task>? Reconnected;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _wasDown, 1);
        return Task.CompletedTask;
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The first connection of a circuit is not a reconnection.
        if (Interlocked.Exchange(ref _wasDown, 0) == 1 && Reconnected is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }
}
