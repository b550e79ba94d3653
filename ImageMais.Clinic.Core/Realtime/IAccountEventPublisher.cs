namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Where <see cref="AccountCommitter"/> hands an event once its change (and the event's row in the log) committed.
/// Publishing never blocks on, nor fails because of, whoever listens; an event that is not published is still
/// delivered from the log.
/// </summary>
public interface IAccountEventPublisher
{
    void Publish(AccountEvent committed);
}

/// <summary>
/// Told of each event committed on this instance, once this instance's feed has it: what shares it with the other
/// instances (Redis), what counts it. Must return at once and never throw.
/// </summary>
public interface IAccountEventObserver
{
    void Published(AccountEvent committed);
}

/// <summary>
/// The one publisher: offers the event to this instance's feed (its tabs and hub connections), then tells the
/// observers, the other instances among them when scale-out is configured.
/// </summary>
public sealed class AccountEventPublisher(AccountEventFeed feed, IEnumerable<IAccountEventObserver> observers) : IAccountEventPublisher
{
    private readonly IAccountEventObserver[] _observers = [.. observers];

    public void Publish(AccountEvent committed)
    {
        feed.Offer(committed);
        foreach (var observer in _observers)
        {
            observer.Published(committed);
        }
    }
}
