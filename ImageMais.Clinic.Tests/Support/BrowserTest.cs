namespace ImageMais.Clinic.Tests.Support;

/// <summary>
/// A test class that drives the browser: the sessions a test opens are closed when it ends, so the app under test
/// does not keep every earlier test's tabs (their circuits) open until the class is done.
/// </summary>
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Browser.CloseSessionsAsync();
}
