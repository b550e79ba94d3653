using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Realtime;

namespace ImageMais.Clinic.Tests.ScaleOut;

/// <summary>A client that was connected to one instance comes back through the load balancer to the other and resumes there.</summary>
public sealed class ResumeAcrossInstancesTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private ScaleOutApp A => instances.A;

    private ScaleOutApp B => instances.B;

    [Fact]
    public async Task A_client_that_left_one_instance_resumes_on_the_other_with_exactly_the_events_it_missed_then_live_ones_each_once()
    {
        var account = await A.CreateApiAccountAsync();
        await instances.WhenSubscribedAsync();
        Task<JsonNode> PostDoctorAsync(ScaleOutApp app) => CrossInstanceDeliveryTests.PostDoctorAsync(app, account.Token);
        const long lastSeen = 2;
        await using (var onA = await A.ListenAsync(account.Token))
        {
            Assert.Equal(new ResumeAnswer(0, Reset: false), await onA.ResumeAsync(0));
            await AssertNextAsync(onA, [await PostDoctorAsync(A), await PostDoctorAsync(B)], firstSeq: 1);
        }

        // Made while the client is away, on both instances.
        var missed = new[] { await PostDoctorAsync(A), await PostDoctorAsync(B), await PostDoctorAsync(A), await PostDoctorAsync(B) };

        await using var onB = HubListener.Create(B.BaseAddress, account.Token);
        await onB.Connection.StartAsync().WaitAsync(HubListener.Timeout);
        var answer = await onB.ResumeAsync(lastSeen);

        Assert.Equal(new ResumeAnswer(lastSeen + missed.Length, Reset: false), answer);
        await AssertNextAsync(onB, missed, firstSeq: lastSeen + 1);

        var live = new[] { await PostDoctorAsync(A), await PostDoctorAsync(A) };
        await AssertNextAsync(onB, live, firstSeq: lastSeen + missed.Length + 1);

        // Had anything come twice, the copy would arrive before this one.
        var sentinel = await PostDoctorAsync(B);
        await AssertNextAsync(onB, [sentinel], firstSeq: lastSeen + missed.Length + live.Length + 1);
        Assert.Empty(onB.Unread());
    }

    private static async Task AssertNextAsync(HubListener listener, IReadOnlyList<JsonNode> doctors, long firstSeq)
    {
        for (var i = 0; i < doctors.Count; i++)
        {
            var heard = await listener.NextAsync();
            Assert.Equal((firstSeq + i, (int)doctors[i]["id"]!), (heard.Seq, (int)heard.Payload!["id"]!));
        }
    }
}
