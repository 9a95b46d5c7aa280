using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Audit;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Applications.ApplicationsServiceTests;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Audit;

public class AuditServiceTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private T Get<T>() where T : notnull => host.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private async Task<ApplicationId> RevealedApplicationAsync(int n)
    {
        var response = await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(n)));
        var id = new ApplicationId(Guid.Parse((string)(await ReadAsync(response))["applicationId"]!));
        await Get<ApplicationsService>().RevealAsync(id, PersonalField.NationalId, User("compliance@test.local", Roles.ComplianceReviewer));
        return id;
    }

    [Fact]
    public async Task Operations_manager_reads_only_lender_and_routing_entries()
    {
        var id = await RevealedApplicationAsync(310_001);
        var ops = User("ops@test.local", Roles.OperationsManager);

        var page = await Get<AuditService>().SearchAsync(new AuditFilter(), 0, 500, ops);
        var asked = await Get<AuditService>().SearchAsync(new AuditFilter { Area = "Applications" }, 0, 500, ops);

        Assert.NotEmpty(page.Rows); // the seed file's lenders, products and routing policy
        Assert.All(page.Rows, r => Assert.Contains(r.Area, new[] { "Lenders", "Routing", "Alerts" }));
        Assert.DoesNotContain(page.Rows, r => r.EntityId == id.ToString());
        Assert.Empty(asked.Rows);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.ComplianceReviewer)]
    public async Task Admin_and_compliance_read_every_area(string role)
    {
        var id = await RevealedApplicationAsync(role == Roles.Admin ? 310_101 : 310_102);

        var page = await Get<AuditService>().SearchAsync(new AuditFilter(), 0, 500, User("reader@test.local", role));

        Assert.Contains(page.Rows, r => r.EntityId == id.ToString() && r.Area == "Applications");
        Assert.Contains(page.Rows, r => r.Area == "Lenders");
    }

    [Fact]
    public async Task Analyst_is_refused()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            Get<AuditService>().SearchAsync(new AuditFilter(), 0, 25, User("analyst@test.local", Roles.Analyst)));
    }

    [Fact]
    public async Task Filters_by_actor_action_and_date_and_pages_newest_first()
    {
        var first = await RevealedApplicationAsync(310_201);
        var second = await RevealedApplicationAsync(310_202);
        var admin = User("admin@test.local", Roles.Admin);
        var service = Get<AuditService>();
        var today = LoanHub.Core.Engine.BusinessDay.Of(DateTimeOffset.UtcNow);

        var filter = new AuditFilter { Actor = "compliance@", Action = "revealed", From = today, To = today };
        var all = await service.SearchAsync(filter, 0, 500, admin);
        var top = await service.SearchAsync(filter, 0, 1, admin);
        var next = await service.SearchAsync(filter, 1, 1, admin);

        Assert.All(all.Rows, r => Assert.Equal("Personal data revealed", r.Action));
        Assert.Equal(all.Total, all.Rows.Count);
        Assert.True(all.Rows.Zip(all.Rows.Skip(1)).All(p => p.First.At >= p.Second.At));
        Assert.Equal(all.Rows[0].Id, Assert.Single(top.Rows).Id);
        Assert.Equal(all.Rows[1].Id, Assert.Single(next.Rows).Id);
        Assert.Equal(second.ToString(), top.Rows[0].EntityId);
        Assert.Contains(all.Rows, r => r.EntityId == first.ToString());
        Assert.Empty((await service.SearchAsync(filter with { From = today.AddDays(1), To = null }, 0, 25, admin)).Rows);
        Assert.Empty((await service.SearchAsync(filter with { Actor = "nobody@" }, 0, 25, admin)).Rows);
    }

    [Fact]
    public async Task Applications_are_named_by_their_reference_with_the_whole_id_beside_it()
    {
        var first = await RevealedApplicationAsync(310_101);
        var second = await RevealedApplicationAsync(310_102); // made a moment later: its id begins as the first one's does

        var page = await Get<AuditService>().SearchAsync(new AuditFilter { Action = AuditRecordText.RevealAction }, 0, 500, User("admin@test.local", Roles.Admin));

        await using var db = host.CreateDbContext();
        foreach (var id in new[] { first, second })
        {
            var reference = db.Applications.Single(a => a.Id == id).ExternalRef;
            var row = page.Rows.First(r => r.EntityId == id.ToString());
            Assert.Equal(reference, row.KnownAs);
            Assert.Equal(($"Application {reference}", $"applications/{id}"), (row.Record.ToString(), row.Record.Href));
        }
    }
}

