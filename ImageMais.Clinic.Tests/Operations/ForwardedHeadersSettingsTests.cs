using ImageMais.Clinic.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using ImageMais.Clinic.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageMais.Clinic.Tests.Operations;

public sealed class ForwardedHeadersSettingsTests
{
    [Fact]
    public void Configured_proxies_and_networks_are_trusted_besides_loopback()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ForwardedHeaders:KnownProxies:0"] = "10.1.2.3",
                ["ForwardedHeaders:KnownNetworks:0"] = "172.28.0.0/16",
                ["ForwardedHeaders:ForwardLimit"] = "2",
            })
            .Build();
        services.AddClinicForwardedHeaders(configuration);

        var options = services.BuildServiceProvider().GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Contains(System.Net.IPAddress.Parse("10.1.2.3"), options.KnownProxies);
        Assert.Contains(options.KnownIPNetworks, n => n.ToString() == "172.28.0.0/16");
        Assert.Contains(options.KnownIPNetworks, n => n.ToString() == "127.0.0.0/8");
        Assert.Equal(2, options.ForwardLimit);
        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
    }
}
