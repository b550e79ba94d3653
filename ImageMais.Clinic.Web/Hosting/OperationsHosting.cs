namespace ImageMais.Clinic.Web.Hosting;

/// <summary>Running in production: health probes, telemetry, rate limits, and reading a reverse proxy's headers (docs/deploy.md).</summary>
public static class OperationsHosting
{
    public static WebApplicationBuilder AddClinicOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddClinicHealth();
        builder.AddClinicTelemetry();
        builder.Services.AddClinicRateLimiting(builder.Configuration);
        builder.Services.AddClinicForwardedHeaders(builder.Configuration);
        return builder;
    }

    /// <summary>What runs once the caller is known (after authentication and authorization).</summary>
    public static WebApplication UseClinicRequestPolicies(this WebApplication app)
    {
        app.UseAccountLogScopes();
        app.UseClinicRateLimiting();
        return app;
    }
}
