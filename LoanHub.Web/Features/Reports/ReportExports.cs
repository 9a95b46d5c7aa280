using System.Collections.Concurrent;

namespace LoanHub.Web.Features.Reports;

/// <summary>
/// Workbooks built for the page, with progress, before the browser downloads them: the page builds one
/// here (it can follow and cancel the work), then fetches it once by its token. Only the user who built a
/// workbook can fetch it; unclaimed files are deleted after ten minutes.
/// </summary>
public sealed class ReportExports(CommissionReportService reports, TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizer<ReportsStrings> text)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<Guid, Built> ready = new();

    public sealed record Built(string Path, string FileName, string Owner, DateTimeOffset At);

    public async Task<Guid> BuildAsync(ReportFilter filter, string owner, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        Sweep();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"loanhub-report-{Guid.NewGuid():N}.xlsx");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var summary = await reports.SummaryAsync(filter, cancellationToken);
                // In the language of the page that asked (its circuit's culture).
                await CommissionWorkbook.WriteAsync(file, filter, summary, reports.DetailAsync(filter, cancellationToken), progress, cancellationToken,
                    WorkbookWords.In(text));
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        var token = Guid.NewGuid();
        ready[token] = new Built(path, CommissionWorkbook.FileName(filter), owner, clock.GetUtcNow());
        return token;
    }

    /// <summary>The built workbook, once, for the user who built it; null otherwise.</summary>
    public Built? Take(Guid token, string user)
    {
        if (!ready.TryGetValue(token, out var built) || built.Owner != user) return null;
        return ready.TryRemove(token, out built) ? built : null;
    }

    private void Sweep()
    {
        var cutoff = clock.GetUtcNow() - KeepFor;
        foreach (var (token, built) in ready)
        {
            if (built.At < cutoff && ready.TryRemove(token, out _)) File.Delete(built.Path);
        }
    }
}
