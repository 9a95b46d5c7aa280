using LoanHub.Tests.Web.Features.Demo;
using LoanHub.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>A store holding more applications than the list counts, filled by the demo generator through the real engine.</summary>
public sealed class StoreBeyondCountCap : LoanHubHost
{
    public StoreBeyondCountCap()
    {
        this.UseDemoHistory(days: 3, applicantsPerDay: 800);
    }
}

public class ApplicationsPagingTests(StoreBeyondCountCap host) : IClassFixture<StoreBeyondCountCap>
{
    private const int PageSize = 100;
    private static readonly System.Security.Claims.ClaimsPrincipal Searcher = TestUsers.Principal("analyst@test.local", LoanHub.Web.Security.Roles.Analyst);

    private ApplicationsService Service => host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>();

    [Fact]
    public async Task Paging_goes_on_past_the_count_cap_to_the_oldest_application()
    {
        await using var db = host.CreateDbContext();
        var stored = await db.Applications.CountAsync();
        Assert.True(stored > ApplicationsService.CountCap + PageSize, $"The demo store holds only {stored} applications.");

        // Walk the list as the table's pager does: Next is offered while the total reaches past the current page.
        var seen = new List<ApplicationId>();
        var page = 0;
        for (; ; page++)
        {
            var found = await Service.SearchAsync(new ApplicationFilter(), page, PageSize, Searcher);
            Assert.True(found.TotalIsCapped);
            Assert.True(found.Total > ApplicationsService.CountCap);
            seen.AddRange(found.Rows.Select(r => r.Id));
            if (found.Total <= (page + 1) * PageSize) break;
            Assert.Equal(PageSize, found.Rows.Count); // Next is offered only after a full page
        }

        Assert.Equal(stored, seen.Count);
        Assert.Equal(stored, seen.Distinct().Count());
        Assert.True(page * PageSize >= ApplicationsService.CountCap);
        var oldest = await db.Applications.OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id).Select(a => a.Id).FirstAsync();
        Assert.Equal(oldest, seen[^1]);
    }

    [Fact]
    public async Task A_page_past_the_cap_is_the_next_slice_newest_first()
    {
        var pageSize = 25;
        var beyond = ApplicationsService.CountCap / pageSize + 2; // rows 2,051–2,075

        var found = await Service.SearchAsync(new ApplicationFilter(), beyond, pageSize, Searcher);

        await using var db = host.CreateDbContext();
        var expected = await db.Applications.OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id)
            .Skip(beyond * pageSize).Take(pageSize).Select(a => a.Id).ToListAsync();
        Assert.Equal(expected, found.Rows.Select(r => r.Id));
        Assert.True(found.Total > (beyond + 1) * pageSize, "the pager must still offer the page after this one");
    }
}
