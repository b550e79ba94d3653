using System.Diagnostics;
using System.Net;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.ScaleOut;

public sealed class RedisAtStartTests
{
    [Fact]
    public async Task An_instance_started_while_Redis_is_down_serves_at_once_and_joins_in_when_Redis_comes_up()
    {
        await using var redis = await RedisServer.StartAsync();
        var a = new ScaleOutApp(redis.ConnectionString);
        await a.InitializeAsync();
        await redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var b = new ScaleOutApp(redis.ConnectionString, sharedDatabase: a.DatabasePath);
        try
        {
            await b.InitializeAsync();
            await ServeAndJoinAsync(redis, a, b, clock);
        }
        finally
        {
            await b.DisposeAsync();
            await a.DisposeAsync();
        }
    }

    private static async Task ServeAndJoinAsync(RedisServer redis, ScaleOutApp a, ScaleOutApp b, Stopwatch clock)
    {
        var account = await b.CreateApiAccountAsync();
        await using var onB = await b.ListenAsync(account.Token);
        var madeOnB = await CrossInstanceDeliveryTests.PostDoctorAsync(b, account.Token);
        Assert.Equal((int)madeOnB["id"]!, (int)(await onB.NextAsync()).Payload!["id"]!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"Starting without Redis and serving a first change took {clock.Elapsed}.");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await b.ReadinessAsync()).Status);

        await redis.StartAgainAsync();
        await TwoInstances.WhenSubscribedAsync(redis);
        await TwoInstances.WhenReadinessIsAsync(b, HttpStatusCode.OK);

        var madeOnA = await CrossInstanceDeliveryTests.PostDoctorAsync(a, account.Token);
        Assert.Equal((int)madeOnA["id"]!, (int)(await onB.NextAsync()).Payload!["id"]!);
    }
}
