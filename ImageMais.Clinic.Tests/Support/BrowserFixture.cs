using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright, started once per test class; each test opens its own browser context
/// (its own cookies), so tests never share a session, and its sessions are closed when it ends (<see cref="BrowserTest"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly List<IBrowserContext> _sessions = [];
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run `apt-get install -y chromium` (test.sh does).");
        }

        // Expectations (Expect(...).ToHaveText…) wait as long as other waits: on a busy 2-core machine a circuit's
        // answer can take seconds; an expectation still ends as soon as it holds.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>A fresh browser session; <paramref name="locale"/> sets the language the browser asks for.</summary>
    public async Task<IPage> NewPageAsync(string locale = "pt-BR")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale });
        // Generous: a first page load compiles Razor components and opens a circuit, which takes seconds on a
        // busy 2-core machine. Waits end as soon as their condition holds, so passing tests are not slowed.
        context.SetDefaultTimeout(45_000);
        context.SetDefaultNavigationTimeout(45_000);
        _sessions.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Closes the sessions opened so far, so their tabs' circuits end with the test that opened them.</summary>
    public async Task CloseSessionsAsync()
    {
        foreach (var session in _sessions)
        {
            await session.CloseAsync();
        }

        _sessions.Clear();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
