using LoanHub.Web.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Hostile;

/// <summary>
/// The application on a real Kestrel port, so request body limits, connection handling and the caller's address are
/// the server's own, not the in-memory test server's. Clients come from <see cref="NewClient"/>, which starts the
/// server on first use (set <see cref="LoanHubHost.Settings"/> before).
/// </summary>
public sealed class HostileHost : LoanHubHost
{
    private Uri? baseAddress;

    private void Start()
    {
        UseKestrel(0);
        StartServer();
        baseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public HttpClient NewClient()
    {
        if (baseAddress is null) Start();
        return new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>How many rows each table a refused request could have written holds now.</summary>
    public async Task<StoreCounts> CountAsync()
    {
        await using var db = CreateDbContext();
        return new StoreCounts(await db.Applications.CountAsync(), await db.Outcomes.CountAsync(), await db.Sources.CountAsync(),
            await db.Lenders.CountAsync(), await db.Products.CountAsync(), await db.RoutingPolicies.CountAsync(), await db.Audit.CountAsync());
    }
}

public sealed record StoreCounts(int Applications, int Outcomes, int Sources, int Lenders, int Products, int RoutingPolicies, int Audit);
