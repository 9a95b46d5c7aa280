using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LoanHub.Web.Features.Demo;

public static class DemoLiveExtensions
{
    /// <summary>The demo's calls to its own server: loopback only, so never through a proxy.</summary>
    internal const string HttpClientName = "demo-self";

    /// <summary>
    /// The demo once the server listens: its lenders pointed at the real port, live traffic (when
    /// <c>LoanHub:Demo:LiveTraffic</c> is true) and the lenders' postbacks. For demo mode only; each service also stands
    /// down in Production. Calling it twice registers everything once.
    /// </summary>
    public static IServiceCollection AddDemoLiveServices(this IServiceCollection services)
    {
        services.TryAddSingleton<DemoSelfAddress>();
        services.TryAddSingleton<DemoLenderAddresses>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoLenderAddresses>());
        services.AddHostedService<DemoLiveTraffic>();
        services.AddHostedService<DemoLenderReporter>();
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return services;
    }
}
