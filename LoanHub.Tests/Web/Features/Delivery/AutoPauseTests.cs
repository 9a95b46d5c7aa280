using LoanHub.Core.Domain;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>Auto-pause after 5 attempts that are at least half timeouts or errors.</summary>
public sealed class AutoPauseHost : DeliveryHost
{
    protected override void Configure(LoanHubHost host)
    {
        host.Settings["LoanHub:Delivery:AutoPauseMinAttempts"] = "5";
        host.Settings["LoanHub:Delivery:AutoPauseErrorRate"] = "0.5";
    }
}

public class AutoPauseTests(AutoPauseHost fixture) : IClassFixture<AutoPauseHost>
{
    private static int people = 650_000;

    [Fact]
    public async Task Failing_lender_is_paused_by_the_system_with_its_reason_gets_no_more_leads_and_an_operator_resumes_it()
    {
        fixture.L1.OnPrecheck = _ => StubReply.Status(503);
        fixture.L2.OnPost = _ => StubReply.AcceptPost("L2", "https://l2.example/c");
        for (var i = 0; i < 5; i++) Assert.Equal("L2-MICRO", await RoutedProductAsync());

        var lender = await LenderAsync("L1");
        Assert.False(lender.IsActive);
        Assert.Contains("5 errors in 5 attempts", lender.AutoPausedReason);
        await using (var db = fixture.Host.CreateDbContext())
        {
            var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.Action == "Lender auto-paused");
            Assert.Equal("system", audit.Actor);
            Assert.Equal("L1", audit.EntityId);
        }

        var prechecks = fixture.L1.Received.Count;
        Assert.Equal("L2-MICRO", await RoutedProductAsync());
        Assert.Equal(prechecks, fixture.L1.Received.Count); // paused: not even asked

        fixture.L1.OnPrecheck = _ => StubReply.Accept();
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<LenderCatalogService>();
        var resumed = await catalog.SetLenderActiveAsync(TestUsers.Principal("ops@test.local", Roles.OperationsManager), lender.Id, active: true);
        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Null((await LenderAsync("L1")).AutoPausedReason);
        Assert.Equal("L1-CASH", await RoutedProductAsync());
    }

    private async Task<string?> RoutedProductAsync()
    {
        var body = ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)));
        return (string?)(await ReadAsync(await PostAsync(fixture.Client, body, DeliveryHost.SourceKey)))["routedTo"]?["productCode"];
    }

    private async Task<Lender> LenderAsync(string code)
    {
        await using var db = fixture.Host.CreateDbContext();
        return await db.Lenders.AsNoTracking().SingleAsync(l => l.Code == code);
    }
}
