using LoanHub.Web.Features.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Reports;

public class ReportExportsTests
{
    [Fact]
    public async Task Built_workbook_is_fetched_once_and_only_by_who_built_it()
    {
        using var host = new LoanHubHost();
        var exports = host.Services.GetRequiredService<ReportExports>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var reports = new List<long>();

        var token = await exports.BuildAsync(new ReportFilter(today.AddDays(-7), today, null, null, null), "analyst@test.local",
            new SynchronousProgress(reports.Add), CancellationToken.None);

        Assert.Null(exports.Take(token, "someone.else@test.local"));
        var built = exports.Take(token, "analyst@test.local");
        Assert.NotNull(built);
        Assert.True(File.Exists(built.Path));
        Assert.StartsWith("loanhub-commissions-", built.FileName);
        Assert.NotEmpty(reports); // the final row count is always reported
        Assert.Null(exports.Take(token, "analyst@test.local"));
        File.Delete(built.Path);
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
