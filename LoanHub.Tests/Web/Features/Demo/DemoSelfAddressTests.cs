using LoanHub.Web.Features.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LoanHub.Tests.Web.Features.Demo;

public class DemoSelfAddressTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5123")]
    [InlineData("http://[::]:5123")]
    [InlineData("http://+:5123")]
    [InlineData("http://*:5123")]
    public void A_wildcard_binding_is_called_on_127_0_0_1(string binding)
    {
        Assert.Equal(new Uri("http://127.0.0.1:5123/"), DemoSelfAddress.Choose([binding]));
    }

    [Theory]
    [InlineData("http://localhost:5000", "http://localhost:5000/")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234/")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000/")]
    public void A_loopback_binding_is_called_as_it_is(string binding, string expected)
    {
        Assert.Equal(new Uri(expected), DemoSelfAddress.Choose([binding]));
    }

    [Fact]
    public void Plain_http_is_preferred_to_https_and_loopback_to_a_specific_interface()
    {
        Assert.Equal(new Uri("http://127.0.0.1:5001/"), DemoSelfAddress.Choose(["https://127.0.0.1:7001", "http://127.0.0.1:5001"]));
        Assert.Equal(new Uri("http://127.0.0.1:5002/"), DemoSelfAddress.Choose(["http://192.168.1.20:5000", "http://[::]:5002"]));
        Assert.Equal(new Uri("https://127.0.0.1:7001/"), DemoSelfAddress.Choose(["https://127.0.0.1:7001"]));
    }

    [Fact]
    public void There_is_no_address_without_a_socket()
    {
        Assert.Null(DemoSelfAddress.Choose([]));
        Assert.Null(DemoSelfAddress.Choose(["http://unix:/tmp/loanhub.sock"]));
    }

    [Fact]
    public async Task The_address_is_known_once_the_application_has_started()
    {
        var lifetime = new Lifetime();
        var self = new DemoSelfAddress(new Server("http://[::]:5077"), lifetime);

        var waiting = self.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        lifetime.Start();

        Assert.Equal(new Uri("http://127.0.0.1:5077/"), await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Under_the_in_memory_test_server_there_is_no_address()
    {
        using var host = new DemoLiveHost();
        host.CreateClient().Dispose();
        var self = host.Services.GetRequiredService<DemoSelfAddress>();

        Assert.Null(await self.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class Server(params string[] addresses) : IServer
    {
        public IFeatureCollection Features { get; } = Addresses(addresses);

        private static FeatureCollection Addresses(string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses) feature.Addresses.Add(address);
            var features = new FeatureCollection();
            features.Set<IServerAddressesFeature>(feature);
            return features;
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource started = new();
        public CancellationToken ApplicationStarted => started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void Start() => started.Cancel();
        public void StopApplication() { }
    }
}
