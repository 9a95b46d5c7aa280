using LoanHub.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LoanHub.Tests.Web.Features.Demo;

public class DemoLenderAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000/demo-lenders/ZSB/precheck", true)]
    [InlineData("http://127.0.0.1:5000/demo-lenders/PAF/applications", true)]
    [InlineData("http://localhost:5000/demo-lenders/PAF/applications", false)]
    [InlineData("http://127.0.0.1:5000/leads", false)]
    [InlineData("https://api.lender.example/demo-lenders/ZSB/applications", false)]
    public void Only_the_simulated_lenders_on_127_0_0_1_are_demo_addresses(string url, bool demo)
    {
        Assert.Equal(demo, DemoLenderAddresses.IsDemoUrl(url));
    }

    [Fact]
    public void Moving_an_address_changes_its_port_and_nothing_else()
    {
        Assert.Equal("http://127.0.0.1:41234/demo-lenders/ZSB/precheck",
            DemoLenderAddresses.WithPort("http://127.0.0.1:5000/demo-lenders/ZSB/precheck", 41234));
        Assert.Equal("http://127.0.0.1:5000/demo-lenders/ZSB/precheck",
            DemoLenderAddresses.WithPort("http://127.0.0.1:5000/demo-lenders/ZSB/precheck", 5000));
    }

    [Fact]
    public void Registering_the_demo_services_twice_runs_each_background_service_once()
    {
        var services = new ServiceCollection();
        services.AddDemoLiveServices();
        services.AddDemoLiveServices();

        Assert.Equal(3, services.Count(d => d.ServiceType == typeof(IHostedService)));
        Assert.Single(services, d => d.ServiceType == typeof(DemoSelfAddress));
    }
}
