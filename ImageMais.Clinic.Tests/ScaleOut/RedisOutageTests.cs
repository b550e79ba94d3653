using System.Diagnostics;
using System.Net;
using ImageMais.Clinic.Realtime;

namespace ImageMais.Clinic.Tests.ScaleOut;

/// <summary>Redis goes away and comes back while both instances serve (its own fixture: it stops Redis).</summary>
public sealed class RedisOutageTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private ScaleOutApp A => instances.A;

    private ScaleOutApp B => instances.B;

    [Fact]
    public async Task While_Redis_is_down_instances_hear_each_other_through_the_log_within_two_seconds_and_switch_back_when_it_returns()
    {
        var account = await A.CreateApiAccountAsync();
        await using var onA = await A.ListenAsync(account.Token);
        await using var onB = await B.ListenAsync(account.Token);
        await instances.WhenSubscribedAsync();

        await instances.Redis.StopAsync();
        var unready = await TwoInstances.WhenReadinessIsAsync(A, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", (string?)unready["checks"]!["redis"]!["status"]);
        Assert.Equal("Healthy", (string?)unready["checks"]!["database"]!["status"]);

        // The request does not wait for Redis, and A's own client still hears the change.
        var clock = Stopwatch.StartNew();
        var duringOutage = await CrossInstanceDeliveryTests.PostDoctorAsync(A, account.Token);
        var heardOnA = await onA.NextAsync();
        Assert.Equal((int)duringOutage["id"]!, (int)heardOnA.Payload!["id"]!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"The request and its delivery on the same instance took {clock.Elapsed} while Redis was down.");

        // B reads it from the shared event log.
        var heardOnBDuringOutage = await onB.NextAsync();
        clock.Stop();
        Assert.Equal((int)duringOutage["id"]!, (int)heardOnBDuringOutage.Payload!["id"]!);
        Assert.Equal(heardOnA.Seq, heardOnBDuringOutage.Seq);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"The other instance heard the change {clock.Elapsed} after it was made, while Redis was down.");

        await instances.Redis.StartAgainAsync();
        await TwoInstances.WhenReadinessIsAsync(A, HttpStatusCode.OK);
        await TwoInstances.WhenReadinessIsAsync(B, HttpStatusCode.OK);
        await instances.WhenSubscribedAsync();

        var afterOutage = await CrossInstanceDeliveryTests.PostDoctorAsync(A, account.Token);

        // Through Redis again: each instance hears each change once.
        var heardOnB = await onB.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, heardOnB.Name);
        Assert.Equal((int)afterOutage["id"]!, (int)heardOnB.Payload!["id"]!);
        Assert.Equal((int)afterOutage["id"]!, (int)(await onA.NextAsync()).Payload!["id"]!);
        var sentinel = await CrossInstanceDeliveryTests.PostDoctorAsync(B, account.Token);
        Assert.Equal((int)sentinel["id"]!, (int)(await onA.NextAsync()).Payload!["id"]!);
        var lastOnB = await onB.NextAsync();
        Assert.Equal((int)sentinel["id"]!, (int)lastOnB.Payload!["id"]!);
        Assert.Equal(heardOnA.Seq + 2, lastOnB.Seq);
        Assert.Empty(onA.Unread());
        Assert.Empty(onB.Unread());
    }
}
