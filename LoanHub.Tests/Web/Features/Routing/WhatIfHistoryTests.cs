using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>The what-if replays each applicant against the catalog of its own time, kept as catalog versions.</summary>
public class WhatIfHistoryTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    [Fact]
    public async Task Applicants_are_replayed_against_the_catalog_of_their_time_not_todays()
    {
        var client = host.CreateClient();
        for (var i = 0; i < 6; i++) await PostAsync(client, ValidBody(nationalId: NationalId(850_000 + i)));

        // Every product paused afterwards: today's catalog would take none of those applicants.
        await using (var db = host.CreateDbContext())
        {
            foreach (var product in await db.Products.ToListAsync()) product.Pause();
            await db.SaveChangesAsync();
        }
        host.Services.GetRequiredService<EngineHost>().CatalogChanged();
        var unmatched = await PostAsync(client, ValidBody(nationalId: NationalId(850_100)));
        var body = await unmatched.Content.ReadAsStringAsync();
        Assert.True(body.Contains("\"Unmatched\""), body);

        await using (var db = host.CreateDbContext())
            Assert.True(await db.CatalogVersions.CountAsync() >= 2, "the paused catalog was kept as a version of its own");

        var routing = host.Services.GetRequiredService<RoutingService>();
        var view = await routing.LoadAsync();
        var result = (await routing.SimulateAsync(new RoutingProposal(view.Strategy, view.Products),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(1), null, CancellationToken.None)).Result;

        Assert.True(result.Replayed == 7 && result.ActualRouted == 6, $"replayed {result.Replayed} routed {result.ActualRouted} unmatched {result.ActualUnmatched} sim {result.SimulatedRouted}/{result.SimulatedUnmatched}");
        Assert.Equal(6, result.ActualRouted);
        Assert.Equal(6, result.SimulatedRouted); // the six met active products, as they really did
        Assert.Equal(1, result.SimulatedUnmatched); // the last met the paused catalog, as it really did
    }

    [Fact]
    public async Task A_catalog_read_again_unchanged_makes_no_new_version()
    {
        var engine = host.Services.GetRequiredService<EngineHost>();
        var client = host.CreateClient();
        await PostAsync(client, ValidBody(nationalId: NationalId(850_200)));
        await using var db = host.CreateDbContext();
        var before = await db.CatalogVersions.CountAsync();

        engine.CatalogChanged();
        await PostAsync(client, ValidBody(nationalId: NationalId(850_201)));

        Assert.Equal(before, await db.CatalogVersions.CountAsync());
    }
}
