using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ImageMais.Clinic.Tests.Realtime;

public sealed class AccountsHubTests(RealtimeApp app) : IClassFixture<RealtimeApp>
{
    [Theory]
    [InlineData(HttpTransportType.WebSockets, HubProtocol.Json)]
    [InlineData(HttpTransportType.ServerSentEvents, HubProtocol.Json)]
    [InlineData(HttpTransportType.LongPolling, HubProtocol.Json)]
    [InlineData(HttpTransportType.WebSockets, HubProtocol.MessagePack)]
    [InlineData(HttpTransportType.LongPolling, HubProtocol.MessagePack)]
    public async Task A_created_doctor_reaches_its_own_accounts_connection_on_every_transport_and_protocol(HttpTransportType transport, HubProtocol protocol)
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        var procedure = await changes.CreateProcedureAsync("Ultrassom: Tireoide", 100m);
        await using var listener = await HubListener.ConnectAsync(app, account.Token, transport, protocol);

        var doctor = await changes.CreateDoctorAsync(AccountChanges.NewDoctor("Dr. João Silva", (int)procedure["id"]!));

        var received = await listener.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, received.Name);
        AssertSameJson(doctor, received.Payload);
        Assert.Equal("100", (string?)received.Payload!["doctorProcedures"]![0]!["procedure"]!["price"]);
    }

    [Fact]
    public async Task Doctor_events_carry_exactly_what_the_api_answered()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        var tireoide = await changes.CreateProcedureAsync("Ultrassom: Tireoide", 100m);
        var transfontanela = await changes.CreateProcedureAsync("Ultrassom: Transfontanela", 110.5m);
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var created = await changes.CreateDoctorAsync(AccountChanges.NewDoctor("Dra. Conceição Araújo", (int)tireoide["id"]!, (int)transfontanela["id"]!));
        var id = (int)created["id"]!;
        var patched = await changes.PatchDoctorAsync(id, new JsonObject { ["isBusy"] = true });
        var replaced = await changes.ReplaceDoctorAsync(id, AccountChanges.NewDoctor("Dra. Conceição A. Lima", (int)transfontanela["id"]!));
        await changes.DeleteDoctorAsync(id);

        await AssertNextAsync(listener, AccountEventNames.DoctorsCreated, created);
        await AssertNextAsync(listener, AccountEventNames.DoctorsUpdated, patched);
        await AssertNextAsync(listener, AccountEventNames.DoctorsUpdated, replaced);
        await AssertNextAsync(listener, AccountEventNames.DoctorsDeleted, new JsonObject { ["id"] = id, ["accountId"] = account.AccountId });
        Assert.Equal("Dra. Conceição Araújo", (string?)created["name"]);
    }

    [Fact]
    public async Task Procedure_events_carry_exactly_what_the_api_answered()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var created = await changes.CreateProcedureAsync("Ressonância magnética", 850.00m);
        var id = (int)created["id"]!;
        var updated = await changes.PatchProcedureAsync(id, new JsonObject { ["price"] = 910.5m });
        await changes.DeleteProcedureAsync(id);

        await AssertNextAsync(listener, AccountEventNames.ProceduresCreated, created);
        await AssertNextAsync(listener, AccountEventNames.ProceduresUpdated, updated);
        await AssertNextAsync(listener, AccountEventNames.ProceduresDeleted, changes.Deleted(id));
        Assert.Equal("850", (string?)created["price"]);
    }

    [Fact]
    public async Task Another_accounts_connection_hears_nothing_of_this_account()
    {
        var clinicA = await app.CreateApiAccountAsync();
        var clinicB = await app.CreateApiAccountAsync();
        await using var listenerA = await HubListener.ConnectAsync(app, clinicA.Token);
        await using var listenerB = await HubListener.ConnectAsync(app, clinicB.Token);

        var doctorOfA = await new AccountChanges(clinicA).CreateDoctorAsync();
        AssertSameJson(doctorOfA, (await listenerA.NextAsync()).Payload);

        // A's event has been delivered; had it been sent to B too, it would be ahead of B's own event.
        var doctorOfB = await new AccountChanges(clinicB).CreateDoctorAsync();
        var firstHeardByB = await listenerB.NextAsync();
        AssertSameJson(doctorOfB, firstHeardByB.Payload);
        Assert.Equal(clinicB.AccountId, (int)firstHeardByB.Payload!["accountId"]!);
    }

    [Fact]
    public async Task A_connection_hears_its_accounts_event_with_its_metadata_and_no_other_accounts()
    {
        var account = await app.CreateApiAccountAsync();
        var nobodyListens = await app.CreateApiAccountAsync();
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var unheard = await new AccountChanges(nobodyListens).CreateDoctorAsync();
        var heard = await new AccountChanges(account).CreateDoctorAsync();

        var first = await listener.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, first.Name);
        AssertSameJson(heard, first.Payload);
        Assert.Equal(await app.GetService<AccountEventLog>().LastSeqAsync(account.AccountId), first.Seq);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", first.At);
        Assert.NotNull(unheard["id"]);
    }

    [Fact]
    public async Task Fifty_doctors_created_one_after_another_arrive_in_order()
    {
        var account = await app.CreateApiAccountAsync();
        var changes = new AccountChanges(account);
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var ids = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add((int)(await changes.CreateDoctorAsync())["id"]!);
        }

        var heard = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            heard.Add((int)(await listener.NextAsync()).Payload!["id"]!);
        }

        Assert.Equal(ids, heard);
    }

    [Fact]
    public async Task Two_hundred_connections_across_ten_accounts_each_hear_exactly_their_accounts_events_once()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => app.CreateApiAccountAsync()));
        var listeners = new List<(ApiAccount Account, HubListener Listener)>();
        try
        {
            foreach (var account in accounts)
            {
                var connections = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => HubListener.ConnectAsync(app, account.Token)));
                listeners.AddRange(connections.Select(l => (account, l)));
            }

            // Three doctors per account, the accounts interleaved and concurrent, then one last marker each.
            var created = await Task.WhenAll(accounts.Select(async account =>
            {
                var changes = new AccountChanges(account);
                var ids = new List<int>();
                for (var i = 0; i < 3; i++)
                {
                    ids.Add((int)(await changes.CreateDoctorAsync())["id"]!);
                }

                return (account.AccountId, Ids: ids, Marker: (int)(await changes.CreateDoctorAsync())["id"]!);
            }));

            foreach (var (account, listener) in listeners)
            {
                var expected = created.Single(c => c.AccountId == account.AccountId);
                var heard = new List<int>();
                for (var i = 0; i < 4; i++)
                {
                    var received = await listener.NextAsync();
                    Assert.Equal(account.AccountId, (int)received.Payload!["accountId"]!);
                    heard.Add((int)received.Payload!["id"]!);
                }

                // Nothing before the marker but the account's three doctors, each once and in order.
                Assert.Equal([.. expected.Ids, expected.Marker], heard);
            }
        }
        finally
        {
            await Task.WhenAll(listeners.Select(l => l.Listener.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task The_token_may_come_in_the_query_string_as_browsers_send_it()
    {
        var account = await app.CreateApiAccountAsync();
        await using var listener = HubListener.Create(app.BaseAddress, token: null, query: "?access_token=" + Uri.EscapeDataString(account.Token));
        await listener.StartAsync(app);

        var doctor = await new AccountChanges(account).CreateDoctorAsync();

        AssertSameJson(doctor, (await listener.NextAsync()).Payload);
    }

    [Fact]
    public async Task The_hub_offers_no_method_to_call_so_no_other_group_can_be_joined()
    {
        var account = await app.CreateApiAccountAsync();
        var other = await app.CreateApiAccountAsync();
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        foreach (var method in new[] { "JoinGroup", "AddToGroupAsync", "OnConnectedAsync", "Join" })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => listener.Connection.InvokeAsync(method, "orders.account." + other.AccountId));
            Assert.Contains("does not exist", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        // Still only its own account's events.
        await new AccountChanges(other).CreateDoctorAsync();
        var own = await new AccountChanges(account).CreateDoctorAsync();
        AssertSameJson(own, (await listener.NextAsync()).Payload);
    }

    [Fact]
    public async Task A_connection_holds_only_the_claims_the_app_reads_not_the_whole_token()
    {
        var account = await app.CreateApiAccountAsync();
        await using var listener = await HubListener.ConnectAsync(app, account.Token);

        var user = app.Joined.UserOf(listener.Connection.ConnectionId!);

        var identity = Assert.IsType<System.Security.Claims.ClaimsIdentity>(user.Identity);
        Assert.Null(identity.BootstrapContext);
        Assert.Equal(
            [AccessTokenClaims.AccountId, AccessTokenClaims.TokenId, AccessTokenClaims.UserId],
            user.Claims.Select(c => c.Type).Order(StringComparer.Ordinal));
        Assert.Equal(account.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture), user.FindFirst(AccessTokenClaims.AccountId)!.Value);
        Assert.Equal(account.TokenId, user.FindFirst(AccessTokenClaims.TokenId)!.Value);
        Assert.True(identity.IsAuthenticated);
    }

    [Fact]
    public async Task A_connection_without_a_token_is_refused_at_the_handshake()
    {
        await using var listener = HubListener.Create(app.BaseAddress, token: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => listener.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJhY2NvdW50X2lkIjoxfQ.c2lnbmF0dXJl")]
    public async Task A_connection_with_a_garbage_token_is_refused_at_the_handshake(string token)
    {
        await using var listener = HubListener.Create(app.BaseAddress, token);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => listener.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_connection_with_an_expired_token_is_refused_at_the_handshake()
    {
        var account = await app.CreateApiAccountAsync();
        var expired = app.Services.MintAccessToken(account.TokenId, account.AccountId, userId: 1, issuedAt: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));
        await using var listener = HubListener.Create(app.BaseAddress, expired);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => listener.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_connection_with_a_revoked_token_is_refused_at_the_handshake()
    {
        var account = await app.CreateApiAccountAsync();
        Assert.True((await app.GetService<AccessTokenService>().RevokeAsync(account.AccountId, account.TokenId)).Succeeded);
        await using var listener = HubListener.Create(app.BaseAddress, account.Token);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => listener.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_live_connection_is_closed_by_the_server_when_its_token_expires()
    {
        var account = await app.CreateAccountAsync();
        var token = await app.IssueTokenAsync(account.AccountId, TimeSpan.FromSeconds(3));
        await using var listener = await HubListener.ConnectAsync(app, token.Token);

        await listener.Closed.WaitAsync(HubListener.Timeout);

        // The token's own expiry ("exp") is in whole seconds.
        var expiry = token.ExpiresAt.AddTicks(-(token.ExpiresAt.Ticks % TimeSpan.TicksPerSecond));
        Assert.True(DateTime.UtcNow >= expiry, $"Closed at {DateTime.UtcNow:O}, before the expiry {expiry:O}.");
        await using var again = HubListener.Create(app.BaseAddress, token.Token);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.Connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_live_connection_is_closed_within_five_seconds_of_its_token_being_revoked(HttpTransportType transport)
    {
        var account = await app.CreateApiAccountAsync();
        var sameAccountOtherToken = await app.IssueTokenAsync(account.AccountId);
        await using var revoked = await HubListener.ConnectAsync(app, account.Token, transport);
        await using var kept = await HubListener.ConnectAsync(app, sameAccountOtherToken.Token, transport);

        var clock = Stopwatch.StartNew();
        Assert.True((await app.GetService<AccessTokenService>().RevokeAsync(account.AccountId, account.TokenId)).Succeeded);
        await revoked.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        clock.Stop();

        // The revoked token is refused by the API too; the other token's connection stays and still hears the account.
        using (var refused = await account.Client.PostAsync("/api/doctors", ApiTestKit.Json(AccountChanges.NewDoctor())))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var otherClient = app.CreateApiClient(sameAccountOtherToken.Token);
        var doctor = await new AccountChanges(otherClient, account.AccountId).CreateDoctorAsync();
        AssertSameJson(doctor, (await kept.NextAsync()).Payload);
        Assert.Equal(HubConnectionState.Connected, kept.Connection.State);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_sample_client_and_the_signalr_library_it_loads_are_served()
    {
        using var client = app.CreateAnonymousClient();

        using var page = await client.GetAsync("/samples/live-doctors.html");
        using var library = await client.GetAsync("/samples/lib/signalr.min.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"lib/signalr.min.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("/hubs/accounts", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Equal("text/javascript", library.Content.Headers.ContentType?.MediaType);
        Assert.Contains("HubConnectionBuilder", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertNextAsync(HubListener listener, string name, JsonNode expected)
    {
        var received = await listener.NextAsync();
        Assert.Equal(name, received.Name);
        AssertSameJson(expected, received.Payload);
    }

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected?.ToJsonString()}\nbut got  {actual?.ToJsonString()}");
}
