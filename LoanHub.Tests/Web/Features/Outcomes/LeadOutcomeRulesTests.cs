using System.Net;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Features.Outcomes;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Outcomes;

/// <summary>
/// The money rules of a lead's outcomes over the real application: the contract a lead was delivered under, the
/// order of its events, the transitions a lender may report. National IDs 750,000–750,999.
/// </summary>
public sealed class LeadOutcomeRulesTests : IClassFixture<LoanHubHost>
{
    private static int people = 750_000;

    private readonly LoanHubHost host;
    private readonly RoutedLeads leads;

    public LeadOutcomeRulesTests(LoanHubHost host)
    {
        this.host = host;
        leads = new RoutedLeads(host.CreateClient(), () => Interlocked.Increment(ref people));
    }

    private async Task<(Allocation Allocation, List<CommissionEntry> Ledger, int Outcomes)> StoredAsync(string applicationId)
    {
        await using var db = host.CreateDbContext();
        var id = new ApplicationId(Guid.Parse(applicationId));
        var allocation = await db.Allocations.AsNoTracking().SingleAsync(a => a.ApplicationId == id);
        var ledger = await db.CommissionEntries.AsNoTracking().Where(e => e.ApplicationId == id).OrderBy(e => e.OccurredAt).ToListAsync();
        return (allocation, ledger, await db.Outcomes.CountAsync(o => o.ApplicationId == id));
    }

    private static async Task<decimal> CommissionOfAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (decimal)(await ReadAsync(response))["commission"]!;
    }

    private async Task<PostbackResult> ApplyAsync(PostbackRequest request, string lenderCode = "L1")
    {
        LenderId lender;
        await using (var db = host.CreateDbContext()) lender = await db.Lenders.Where(l => l.Code == lenderCode).Select(l => l.Id).SingleAsync();
        return await host.Services.GetRequiredService<PostbackService>().ApplyAsync(lender, request, CancellationToken.None);
    }

    [Fact]
    public async Task Service_refuses_a_malformed_postback_naming_the_field_whoever_calls_it()
    {
        var valid = new PostbackRequest("EV-1", Guid.NewGuid(), "Approved", null, DateTimeOffset.UtcNow);
        (string Field, PostbackRequest Request)[] malformed =
        [
            ("eventId", valid with { EventId = null }),
            ("eventId", valid with { EventId = "   " }),
            ("eventId", valid with { EventId = new string('E', 65) }),
            ("applicationId", valid with { ApplicationId = null }),
            ("applicationId", valid with { ApplicationId = Guid.Empty }),
            ("outcome", valid with { Outcome = null }),
            ("outcome", valid with { Outcome = "approved" }), // the names are a contract, to the letter
            ("outcome", valid with { Outcome = "1" }),
            ("outcome", valid with { Outcome = "-1" }),
            ("fundedAmount", valid with { Outcome = "Funded" }),
            ("fundedAmount", valid with { Outcome = "Funded", FundedAmount = 0m }),
            ("fundedAmount", valid with { Outcome = "Funded", FundedAmount = 1_000.005m }),
            ("fundedAmount", valid with { Outcome = "Declined", FundedAmount = 1_000m }),
            ("occurredAt", valid with { OccurredAt = null }),
            ("occurredAt", valid with { OccurredAt = DateTimeOffset.UtcNow.AddHours(1) }),
        ];

        foreach (var (field, request) in malformed)
        {
            var result = await ApplyAsync(request);
            Assert.True(result.Disposition == PostbackDisposition.Invalid && result.Errors!.Keys.SequenceEqual([field]),
                $"{request} answered {result.Disposition} ({string.Join(", ", result.Errors?.Keys ?? [])}), not a refusal of {field} alone");
        }
    }

    [Fact]
    public async Task Outcome_that_is_not_one_of_the_names_is_refused()
    {
        foreach (var outcome in new[] { "+1", "Approved, Declined" })
        {
            var id = await leads.CpsAsync();

            var result = await ApplyAsync(new PostbackRequest($"EV-{Guid.NewGuid():N}", Guid.Parse(id), outcome, null, DateTimeOffset.UtcNow));

            Assert.Equal(PostbackDisposition.Invalid, result.Disposition);
            Assert.Equal(DeliveryStatus.Delivered, (await StoredAsync(id)).Allocation.Status);
        }
    }

    [Fact]
    public async Task Event_id_of_64_characters_is_accepted()
    {
        var id = await leads.CpaAsync();

        var result = await ApplyAsync(new PostbackRequest(new string('E', 64), Guid.Parse(id), "Approved", null, DateTimeOffset.UtcNow));

        Assert.Equal((PostbackDisposition.Accepted, 200m), (result.Disposition, result.Response!.Commission));
    }

    [Fact]
    public async Task Cpl_lead_whose_product_moves_to_Cpa_earns_nothing_more_on_approval()
    {
        var before = await leads.CplAsync(); // L2-MICRO, CPL ¥30
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        var l2 = document.Lenders.Single(l => l.Code == "L2");
        var toCpa = document with
        {
            Lenders = [l2 with { Products = [.. l2.Products!.Select(p => p with { Commission = new CommissionDocument(CommissionModel.CPA, 200m, null) })] }],
        };
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var manager = TestUsers.Principal("ops@test.local", Roles.OperationsManager);
            var imported = await scope.ServiceProvider.GetRequiredService<LenderCatalogService>().ImportAsync(manager, toCpa, "contract moves to CPA");
            Assert.True(imported.Succeeded, imported.Message);
        }
        var after = await leads.CplAsync(); // the same product, now CPA ¥200

        Assert.Equal(0m, await CommissionOfAsync(await leads.PostbackAsync(before, "Approved", key: RoutedLeads.L2Key)));
        Assert.Equal(200m, await CommissionOfAsync(await leads.PostbackAsync(after, "Approved", key: RoutedLeads.L2Key)));

        var (allocation, ledger, _) = await StoredAsync(before);
        Assert.Equal(CommissionContract.PerLead(30m), allocation.Commission);
        Assert.Equal([(CommissionEvent.Delivered, CommissionModel.CPL, 30m), (CommissionEvent.Approved, CommissionModel.CPL, 0m)],
            ledger.Select(e => (e.Event, e.Model, e.Amount)));
        var (_, newLedger, _) = await StoredAsync(after);
        Assert.Equal(200m, newLedger.Sum(e => e.Amount)); // nothing on delivery, ¥200 on approval
    }

    [Fact]
    public async Task Outcome_dated_before_the_delivery_is_422_and_stores_nothing()
    {
        var id = await leads.CpaAsync();
        var deliveredAt = (await StoredAsync(id)).Allocation.AllocatedAt;

        var early = await leads.PostbackAsync(id, "Approved", occurredAt: deliveredAt.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        Assert.True((await ReadAsync(early))["errors"]!.AsObject().ContainsKey("occurredAt"));
        var (allocation, ledger, outcomes) = await StoredAsync(id);
        Assert.Equal((DeliveryStatus.Delivered, 0), (allocation.Status, outcomes));
        Assert.Equal([CommissionEvent.Delivered], ledger.Select(e => e.Event));
        // The instant of the delivery itself is not before it.
        Assert.Equal(200m, await CommissionOfAsync(await leads.PostbackAsync(id, "Approved", occurredAt: deliveredAt)));
    }

    [Fact]
    public async Task Approved_lead_cannot_be_declined_afterwards()
    {
        var id = await leads.CpaAsync();
        Assert.Equal(200m, await CommissionOfAsync(await leads.PostbackAsync(id, "Approved")));

        var declined = await leads.PostbackAsync(id, "Declined");

        Assert.Equal(HttpStatusCode.Conflict, declined.StatusCode);
        var (allocation, ledger, outcomes) = await StoredAsync(id);
        Assert.Equal((DeliveryStatus.Approved, 1), (allocation.Status, outcomes));
        Assert.Equal([CommissionEvent.Delivered, CommissionEvent.Approved], ledger.Select(e => e.Event));
    }

    [Fact]
    public async Task Funding_a_lead_twice_is_409_and_earns_only_once()
    {
        var id = await leads.CpsAsync(); // L1-CASH, CPS 2 %
        await leads.PostbackAsync(id, "Approved");
        Assert.Equal(200m, await CommissionOfAsync(await leads.PostbackAsync(id, "Funded", 10_000m)));

        var again = await leads.PostbackAsync(id, "Funded", 10_000m);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var (allocation, ledger, outcomes) = await StoredAsync(id);
        Assert.Equal((DeliveryStatus.Funded, 10_000m, 2), (allocation.Status, allocation.FundedAmount, outcomes));
        Assert.Single(ledger, e => e.Event == CommissionEvent.Funded);
        Assert.Equal(200m, ledger.Sum(e => e.Amount));
    }

    [Fact]
    public async Task Funding_exactly_the_requested_amount_is_accepted()
    {
        var id = await leads.CpsAsync(); // requests ¥30,000
        await leads.PostbackAsync(id, "Approved");

        Assert.Equal(600m, await CommissionOfAsync(await leads.PostbackAsync(id, "Funded", 30_000m)));

        Assert.Equal(30_000m, (await StoredAsync(id)).Allocation.FundedAmount);
    }
}
