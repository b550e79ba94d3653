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
    public async Task Each_instance_serves_its_own_clients_while_Redis_is_down_and_shares_again_once_it_returns()
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
        clock.Stop();
        Assert.Equal((int)duringOutage["id"]!, (int)heardOnA.Payload!["id"]!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"The request and its delivery on the same instance took {clock.Elapsed} while Redis was down.");

        await instances.Redis.StartAgainAsync();
        await TwoInstances.WhenReadinessIsAsync(A, HttpStatusCode.OK);
        await TwoInstances.WhenReadinessIsAsync(B, HttpStatusCode.OK);
        await instances.WhenSubscribedAsync();

        var afterOutage = await CrossInstanceDeliveryTests.PostDoctorAsync(A, account.Token);

        // B missed the change made while Redis was down (pub/sub keeps nothing) and hears the next one, once.
        var heardOnB = await onB.NextAsync();
        Assert.Equal(AccountEventNames.DoctorsCreated, heardOnB.Name);
        Assert.Equal((int)afterOutage["id"]!, (int)heardOnB.Payload!["id"]!);
        Assert.Equal((int)afterOutage["id"]!, (int)(await onA.NextAsync()).Payload!["id"]!);
        var sentinel = await CrossInstanceDeliveryTests.PostDoctorAsync(B, account.Token);
        Assert.Equal((int)sentinel["id"]!, (int)(await onA.NextAsync()).Payload!["id"]!);
        Assert.Equal((int)sentinel["id"]!, (int)(await onB.NextAsync()).Payload!["id"]!);
    }
}
