using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageMais.Clinic.CircuitBench;
using ImageMais.Clinic.Features.Doctors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

// Circuit cost of the Doctors page (README, "Circuit cost"):
//   1. server memory per open Doctors tab, with 100 doctors in the clinic, over --circuits open tabs;
//   2. time from one change through the REST API to its row rendered in every one of --tabs open tabs.
// Usage: dotnet run -c Release --project bench/ImageMais.Clinic.CircuitBench -- [--circuits 50] [--tabs 20] [--rounds 10] [--no-publish] [--workstation-gc] [--path /]
var circuits = IntOption("--circuits", 50);
var tabs = IntOption("--tabs", 20);
var rounds = IntOption("--rounds", 10);

// --path /: the same measure on the start page (layout only), to tell the Doctors page's own cost from the rest.
var path = StringOption("--path", "/doctors");
const int Doctors = 100;
const string WatchForRow = """
    crm => {
        window.benchRowSeen = new Promise(resolve => {
            const seen = () => [...document.querySelectorAll("[data-testid=doctor-crm]")].some(e => e.textContent === crm);
            new MutationObserver((_, observer) => {
                if (seen()) {
                    observer.disconnect();
                    resolve(Date.now());
                }
            }).observe(document.body, { childList: true, subtree: true, characterData: true });
        });
    }
    """;

var workstationGc = args.Contains("--workstation-gc");
await using var app = await AppProcess.StartAsync(publish: !args.Contains("--no-publish"), workstationGc);
Console.WriteLine($"App (pid {app.Pid}) at {app.Url}, {(workstationGc ? "workstation" : "server")} GC");

var (account, token) = await app.CreateAccountWithTokenAsync("Clínica Bench", $"master-{Guid.NewGuid():N}@bench.example", label: "circuit bench");
var doctors = app.Services.GetRequiredService<DoctorService>();
for (var i = 1; i <= Doctors; i++)
{
    var created = await doctors.CreateAsync(account.AccountId, new DoctorInput($"Dr. Bench {i:000}", (10_000 + i).ToString(CultureInfo.InvariantCulture), $"bench{i}@bench.example", "(81) 3333-4444"));
    _ = created.Value ?? throw new InvalidOperationException(created.Failure!.Message);
}

using var api = new HttpClient { BaseAddress = app.Url };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "pt-BR" });
context.SetDefaultTimeout(60_000);

// Sign in once (the tabs share the session cookie), and warm the server up with one tab that is then closed.
var first = await context.NewPageAsync();
await first.GotoAsync(new Uri(app.Url, "/account/signin?returnUrl=%2Fdoctors").ToString());
await first.Locator("#email").FillAsync(account.MasterEmail);
await first.Locator("#password").FillAsync(account.MasterPassword);
await first.Locator("button[type=submit]").ClickAsync();
await first.WaitForURLAsync(new Uri(app.Url, "/doctors").ToString());
await OpenDoctorsAsync(first);
await first.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
await SettleAsync();

// 1. Memory per open circuit.
var before = app.ResidentBytes();
var heapBefore = await app.LiveHeapBytesAsync();
var pages = new List<IPage>();
var opening = Stopwatch.StartNew();
for (var i = 0; i < circuits; i++)
{
    var page = await context.NewPageAsync();
    await OpenDoctorsAsync(page);
    pages.Add(page);
}

opening.Stop();
await SettleAsync();
var after = app.ResidentBytes();
var heapAfter = await app.LiveHeapBytesAsync();
var perCircuit = (after - before) / (double)circuits;
var heapPerCircuit = (heapAfter - heapBefore) / (double)circuits;
Console.WriteLine($"Opened {circuits} tabs of {path} ({Doctors} doctors in the clinic) in {opening.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"  server resident memory: {before / 1048576.0:F0} MB → {after / 1048576.0:F0} MB, {perCircuit / 1024:F0} KB per circuit");
Console.WriteLine($"  live managed heap:      {heapBefore / 1048576.0:F1} MB → {heapAfter / 1048576.0:F1} MB, {heapPerCircuit / 1024:F0} KB per circuit (target ≤ 250 KB)");

if (path != "/doctors")
{
    return 0;
}

// 2. Publish-to-render time in the open tabs.
foreach (var extra in pages.Skip(tabs).ToList())
{
    await extra.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
    pages.Remove(extra);
}

foreach (var page in pages)
{
    // Only the new doctors match, so the new row is on the first page of the grid in every tab.
    await page.Locator("input[data-testid=doctor-search], [data-testid=doctor-search] input").First.FillAsync("live");
    await page.Locator("[data-testid=empty-state]").WaitForAsync();
}

var lastTab = new List<double>();
var firstTab = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    var crm = (90_000 + round).ToString(CultureInfo.InvariantCulture);

    // Each tab notes, in the page itself, the moment the row is in its DOM (a MutationObserver runs even in
    // background tabs); the bench compares it with the moment it sent the request (same machine, same clock).
    await Task.WhenAll(pages.Select(page => page.EvaluateAsync(WatchForRow, crm)));
    var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    var response = await api.PostAsJsonAsync("/api/doctors", new { name = $"Dr. Ao Vivo {round}", crm, email = $"live{round}@bench.example", phone = "(81) 99999-0000", procedureIds = Array.Empty<int>() });
    response.EnsureSuccessStatusCode();
    var times = (await Task.WhenAll(pages.Select(page => page.EvaluateAsync<double>("() => window.benchRowSeen")))).Select(seen => seen - sent).ToArray();
    firstTab.Add(times.Min());
    lastTab.Add(times.Max());
}

lastTab.Sort();
firstTab.Sort();
Console.WriteLine($"One doctor created through the REST API, {rounds} times, with {pages.Count} tabs open:");
Console.WriteLine($"  to the first tab: median {Median(firstTab):F0} ms");
Console.WriteLine($"  to the last tab:  median {Median(lastTab):F0} ms, worst {lastTab[^1]:F0} ms (target ≤ 1000 ms)");

await context.CloseAsync();
return heapPerCircuit <= 250 * 1024 && lastTab[^1] <= 1000 ? 0 : 1;

async Task OpenDoctorsAsync(IPage page)
{
    if (new Uri(page.Url, UriKind.Absolute).AbsolutePath != path)
    {
        await page.GotoAsync(new Uri(app.Url, path).ToString());
    }

    await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    if (path == "/doctors")
    {
        await page.Locator("[data-testid=doctor-crm]").Nth(9).WaitForAsync();
    }
}

// Lets the server finish what the last tab started (circuit set-up, a closed tab's disposal) before reading its memory.
static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(3));


static double Median(List<double> sorted) => sorted[sorted.Count / 2];

string StringOption(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
