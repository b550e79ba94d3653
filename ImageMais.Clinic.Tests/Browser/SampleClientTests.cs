using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.Browser;

/// <summary>The sample hub client (<c>/samples/live-doctors.html</c>) in a real browser against the app on a real port.</summary>
public sealed class SampleClientTests(ClinicApp app, BrowserFixture browser) : BrowserTest(browser), IClassFixture<ClinicApp>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Reconnection = new() { Timeout = 30_000 };

    [Fact]
    public async Task After_its_connection_drops_the_sample_resumes_and_shows_the_deletions_and_procedure_changes_it_missed()
    {
        var clinic = await app.CreateAccountAsync();
        var token = (await app.IssueTokenAsync(clinic.AccountId)).Token;
        var api = app.CreateApiClient(token);
        var procedure = await api.CreateProcedureAsync("Ultrassom: Tireoide", 100);
        var kept = await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dra. Fica", "1001", procedureIds: [(int)procedure["id"]!]));
        var removed = await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dr. Sai", "1002"));

        // The hub's WebSocket goes through the test, which can cut it and refuse new ones: a real drop.
        var reachable = true;
        var sockets = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        var page = await Browser.NewPageAsync();
        await page.RouteWebSocketAsync(new Regex("/hubs/accounts"), socket =>
        {
            if (!reachable)
            {
                _ = socket.CloseAsync();
                return;
            }

            lock (sockets)
            {
                sockets.Add((socket, socket.ConnectToServer()));
            }
        });
        await page.GotoAsync(new Uri(app.BaseAddress, "/samples/live-doctors.html").ToString());
        await page.Locator("#token").FillAsync(token);
        await page.Locator("#connect-button").ClickAsync();
        await Assertions.Expect(Row(page, kept)).ToBeVisibleAsync();
        await Assertions.Expect(Row(page, removed)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Ao vivo");

        reachable = false;
        (IWebSocketRoute Page, IWebSocketRoute Server)[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (var (client, server) in open)
        {
            await server.CloseAsync();
            await client.CloseAsync();
        }

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("reconectando");

        // While it is away: a deletion, a procedure renamed, a new doctor.
        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/doctors/{removed["id"]}");
        using var renamed = await api.SendAsync(HttpMethod.Patch, $"/api/procedures/{procedure["id"]}", ApiTestKit.Json(new JsonObject { ["name"] = "Ultrassom: Tireoide e Cervical" }));
        Assert.True(deleted.IsSuccessStatusCode && renamed.IsSuccessStatusCode);
        var added = await api.CreateDoctorAsync(ApiTestKit.DoctorBody("Dr. Chega", "1003"));
        using var events = await api.SendAsync(HttpMethod.Get, "/api/events");
        var last = (long)(await ApiTestKit.ReadObjectAsync(events))["last"]!;

        reachable = true;
        await Assertions.Expect(Row(page, added)).ToBeVisibleAsync(Reconnection);
        await Assertions.Expect(Row(page, removed)).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, kept)).ToContainTextAsync("Ultrassom: Tireoide e Cervical (R$ 100)");
        await Assertions.Expect(page.Locator("#last-seq")).ToHaveTextAsync($"#{last}");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("nada se perdeu");
    }

    private static ILocator Row(IPage page, JsonObject doctor) => page.Locator($"#doctors tr[data-id='{doctor["id"]}']");
}
