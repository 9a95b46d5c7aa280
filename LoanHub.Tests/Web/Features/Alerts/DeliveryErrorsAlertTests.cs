using LoanHub.Tests.Web.Features.Dashboard;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Web.Features.Alerts;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Alerts;

/// <summary>The delivery-errors rule over real deliveries to a lender's server that fails (a stub over HTTP).</summary>
public class DeliveryErrorsAlertTests
{
    private static int people = 580_000;

    [Fact]
    public async Task A_lender_whose_deliveries_fail_raises_once_enough_attempts_were_made()
    {
        using var host = new LoanHubHost();
        await using var lenders = await PushLenders.AddAsync(host, null, new PushLender("PX", "44"));
        lenders["PX"].OnPost = _ => StubReply.Status(500);
        var client = host.CreateClient();
        var book = host.Services.GetRequiredService<AlertBook>();

        for (var i = 0; i < AlertDefaults.MinAttemptsForErrorRate - 1; i++)
            await PostAsync(client, PushLenders.Applicant(Interlocked.Increment(ref people), "44"));
        await book.CheckAsync();
        Assert.DoesNotContain(await AlertBookTests.OpenAsync(host), a => a.Kind == AlertKind.DeliveryErrors);

        await PostAsync(client, PushLenders.Applicant(Interlocked.Increment(ref people), "44"));
        await book.CheckAsync();
        var alert = Assert.Single(await AlertBookTests.OpenAsync(host), a => a.Kind == AlertKind.DeliveryErrors);
        Assert.Equal(("PX", 100m, 20m), (alert.Subject, alert.Figure, alert.Limit));
    }
}
