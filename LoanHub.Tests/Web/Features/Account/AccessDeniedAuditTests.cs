using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Account;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>A page refused inside an open console tab (the router's not-authorized view) is audited like a refused request.</summary>
public class AccessDeniedAuditTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;

    public AccessDeniedAuditTests(LoanHubHost host)
    {
        this.host = host;
        Services.AddSingleton(host.Services.GetRequiredService<AccountAudit>());
        SetRendererInfo(new RendererInfo("Server", true));
    }

    [Fact]
    public async Task A_page_refused_in_an_open_tab_is_in_the_audit_log()
    {
        var email = $"analyst-{Guid.NewGuid():N}@test.local";
        Services.GetRequiredService<NavigationManager>().NavigateTo("/admin/users");

        Render<AccessDeniedAudit>(p => p.Add(c => c.User, TestUsers.Principal(email, Roles.Analyst)));

        await using var db = host.CreateDbContext();
        var entry = await db.Audit.SingleAsync(a => a.Actor == email);
        Assert.Equal((AccountAudit.AccessDenied, "/admin/users"), (entry.Action, entry.EntityId));
    }
}
