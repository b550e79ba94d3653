using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Endpoints;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>Limits per access token (section <c>RateLimiting</c>).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>REST calls under <c>/api</c>, per access token.</summary>
    public RateLimitWindow Api { get; set; } = new() { PermitLimit = 1_200, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Hub connection starts (negotiation, or a WebSocket opened without one), per access token.</summary>
    public RateLimitWindow HubNegotiation { get; set; } = new() { PermitLimit = 1_200, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each fixed <see cref="Window"/>.</summary>
public sealed class RateLimitWindow
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>
/// Rate limiting of the REST API and of hub connection starts, partitioned by access token (its <c>jti</c>),
/// so one integration's burst never slows another's. It runs after authentication, so only callers with a valid
/// token are counted; a refused call gets <c>429</c> problem+json with <c>Retry-After</c>. Browser pages, the
/// Blazor circuit and the health probes are not limited.
/// </summary>
public static class RateLimitingHosting
{
    public static IServiceCollection AddClinicRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.SectionName));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteRejectionAsync;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits.Value));
        });
        return services;
    }

    /// <summary>After authentication and authorization, so the token that made a call is known.</summary>
    public static WebApplication UseClinicRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits)
    {
        if (!limits.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var (kind, window) = ApiEndpoints.IsApiPath(context.Request.Path) ? ("api", limits.Api)
            : IsHubConnectionStart(context) ? ("hub", limits.HubNegotiation)
            : (null, null);
        if (kind is null || window is null)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        return RateLimitPartition.GetFixedWindowLimiter(kind + ":" + Caller(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit,
            Window = window.Window,
            QueueLimit = 0,
        });
    }

    /// <summary>The access token's id; an unauthenticated request (refused before it gets here) falls back to its address.</summary>
    private static string Caller(HttpContext context) =>
        context.User.GetAccessTokenId() is { Length: > 0 } tokenId
            ? "token:" + tokenId
            : "ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);

    /// <summary>A negotiation, or a WebSocket connect that skipped it; the later requests of a connection carry its <c>id</c>.</summary>
    private static bool IsHubConnectionStart(HttpContext context) =>
        context.Request.Path.StartsWithSegments(AccessTokenAuthentication.HubsPath)
        && (context.Request.Path.Value!.EndsWith("/negotiate", StringComparison.Ordinal) || !context.Request.Query.ContainsKey("id"));

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var detail = "Too many requests for this access token; try again later.";
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            detail = $"Too many requests for this access token; try again in {seconds} s.";
        }

        // Written as problem+json whatever the request's Accept says, as every other API problem is: the problem
        // details service would refuse (and the refusal become a 500) when Accept excludes JSON.
        await TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too Many Requests",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4").ExecuteAsync(context);
    }
}
