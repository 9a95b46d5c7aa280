using Bunit;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Audit;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Audit;

/// <summary>The audit log page over the real audit service and a store with catalog and reveal entries.</summary>
public class AuditLogPageTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly LoanHubHost host;

    public AuditLogPageTests(LoanHubHost host)
    {
        this.host = host;
        var scope = host.Services.CreateScope().ServiceProvider;
        Services.AddSingleton(scope.GetRequiredService<AuditService>());
        SignInAs(LoanHubHost.AdminEmail, Roles.Admin);
    }

    [Fact]
    public async Task Records_show_friendly_names_applications_link_to_their_page_and_a_reveal_says_what_was_revealed()
    {
        var response = await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(312_001)));
        response.EnsureSuccessStatusCode();
        var id = new ApplicationId(Guid.Parse((string)(await ReadAsync(response))["applicationId"]!));
        var applications = host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>();
        await applications.RevealAsync(id, PersonalField.NationalId, TestUsers.Principal(LoanHubHost.AdminEmail, Roles.Admin));
        RenderPopoverProvider();

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=audit-record]")), Wait);
        var records = page.FindAll("[data-testid=audit-record]").Select(r => r.TextContent).ToList();
        Assert.Contains(records, r => r.StartsWith("Product ", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.StartsWith("LenderProduct", StringComparison.Ordinal) || r.StartsWith("LoanApplication", StringComparison.Ordinal));
        var link = page.Find($"a[data-testid=audit-record][href='applications/{id}']");
        await using (var db = host.CreateDbContext())
            Assert.Equal($"Application {db.Applications.Single(a => a.Id == id).ExternalRef}", link.TextContent);
        Assert.Contains(page.FindAll("[data-testid=audit-record-id]"), e => e.TextContent == id.ToString()); // the whole id, under the reference

        var reveal = page.FindAll("tbody tr.mud-table-row").First(r => r.TextContent.Contains(AuditRecordText.RevealAction));
        reveal.Click();
        page.WaitForAssertion(() => Assert.Equal("Revealed: National ID", page.Find("[data-testid=revealed-field]").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid=diff-line]"));
    }
}
