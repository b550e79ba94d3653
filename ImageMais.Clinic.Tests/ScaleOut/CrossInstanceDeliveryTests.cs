using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;

namespace ImageMais.Clinic.Tests.ScaleOut;

public sealed class CrossInstanceDeliveryTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private ScaleOutApp A => instances.A;

    private ScaleOutApp B => instances.B;

    [Fact]
    public async Task A_doctor_created_on_one_instance_reaches_hub_clients_on_both_instances_exactly_once()
    {
        var account = await A.CreateApiAccountAsync();
        await using var onA = await A.ListenAsync(account.Token);
        await using var onB = await B.ListenAsync(account.Token);
        await instances.WhenSubscribedAsync();

        var created = await PostDoctorAsync(A, account.Token);

        var heardOnB = await onB.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, heardOnB.Name);
        Assert.True(JsonNode.DeepEquals(created, heardOnB.Payload), $"B heard {heardOnB.Payload}, the API answered {created}");

        // A later event made on the other instance: had the first arrived twice anywhere, the copy would come
        // before it (each instance hands events on in the order it hears them).
        var sentinel = await PostDoctorAsync(B, account.Token);
        Assert.Equal((int)sentinel["id"]!, (int)(await onB.NextAsync()).Payload!["id"]!);
        Assert.Equal((int)created["id"]!, (int)(await onA.NextAsync()).Payload!["id"]!);
        Assert.Equal((int)sentinel["id"]!, (int)(await onA.NextAsync()).Payload!["id"]!);
    }

    [Fact]
    public async Task Delivery_time_is_tagged_remote_for_an_event_heard_from_the_other_instance_and_local_for_one_made_here()
    {
        var origins = new ConcurrentQueue<string?>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == B.GetService<ClinicTelemetry>().Meter && instrument.Name == "imagemais.clinic.events.publish_to_send")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "origin")
                {
                    origins.Enqueue(tag.Value as string);
                }
            }
        });
        meters.Start();
        var account = await A.CreateApiAccountAsync();
        await using var onB = await B.ListenAsync(account.Token);
        await instances.WhenSubscribedAsync();

        await PostDoctorAsync(A, account.Token);
        await onB.NextAsync();
        await Eventually.UntilAsync(() => !origins.IsEmpty, HubListener.Timeout, "B times the event it heard from A");
        await PostDoctorAsync(B, account.Token);
        await onB.NextAsync();
        await Eventually.UntilAsync(() => origins.Count >= 2, HubListener.Timeout, "B times the event made on it");

        Assert.Equal(["remote", "local"], origins);
    }

    [Fact]
    public async Task A_circuit_on_the_other_instance_hears_a_doctor_created_on_the_first_as_the_same_doctor()
    {
        var account = await A.CreateApiAccountAsync();
        var heard = Channel.CreateUnbounded<AccountEvent>();
        using var circuit = await B.GetService<AccountEventFeed>().SubscribeAsync(account.AccountId, e => heard.Writer.WriteAsync(e).AsTask());
        await instances.WhenSubscribedAsync();

        var created = await PostDoctorAsync(A, account.Token);
        var sentinel = await PostDoctorAsync(A, account.Token);

        var first = await heard.Reader.ReadAsync().AsTask().WaitAsync(HubListener.Timeout);
        Assert.Equal(AccountEventNames.DoctorsCreated, first.Name);
        var doctor = Assert.IsType<DoctorSaved>(first.Change).Doctor;
        Assert.Equal((int)created["id"]!, doctor.Id);
        Assert.Equal((string?)created["name"], doctor.Name);
        Assert.Equal(account.AccountId, doctor.AccountId);
        Assert.Equal((string?)created["createdAt"], doctor.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var next = await heard.Reader.ReadAsync().AsTask().WaitAsync(HubListener.Timeout);
        Assert.Equal((int)sentinel["id"]!, Assert.IsType<DoctorSaved>(next.Change).Doctor.Id);
        Assert.Equal(first.Seq + 1, next.Seq);
    }

    [Fact]
    public async Task Another_accounts_clients_on_the_other_instance_hear_nothing()
    {
        var clinicA = await A.CreateApiAccountAsync();
        var clinicB = await A.CreateApiAccountAsync();
        await using var listenerOfB = await B.ListenAsync(clinicB.Token);
        await instances.WhenSubscribedAsync();

        await PostDoctorAsync(A, clinicA.Token);
        var own = await PostDoctorAsync(A, clinicB.Token);

        var first = await listenerOfB.NextAsync();
        Assert.Equal((int)own["id"]!, (int)first.Payload!["id"]!);
        Assert.Equal(clinicB.AccountId, (int)first.Payload!["accountId"]!);
    }

    [Fact]
    public async Task A_token_issued_on_one_instance_is_accepted_by_the_other()
    {
        var account = await A.CreateApiAccountAsync();

        using var response = await B.CreateApiClient(account.Token).GetAsync(new Uri("/api/doctors", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Data_protected_on_one_instance_is_read_by_the_other()
    {
        var purpose = "cookies-" + Guid.NewGuid().ToString("N");
        var protectedOnA = A.GetService<IDataProtectionProvider>().CreateProtector(purpose).Protect("sessão de Conceição");

        var readOnB = B.GetService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(protectedOnA);

        Assert.Equal("sessão de Conceição", readOnB);
    }

    [Fact]
    public async Task Readiness_reports_the_database_and_redis_as_healthy()
    {
        var (status, body) = await B.ReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", (string?)body["checks"]!["database"]!["status"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["redis"]!["status"]);
    }

    internal static async Task<JsonNode> PostDoctorAsync(ScaleOutApp app, string token)
    {
        using var client = app.CreateApiClient(token);
        using var response = await client.PostAsJsonAsync(new Uri("/api/doctors", UriKind.Relative), AccountChanges.NewDoctor());
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
