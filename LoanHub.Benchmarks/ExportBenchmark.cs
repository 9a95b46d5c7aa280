using System.Diagnostics;
using ClosedXML.Excel;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Reports;

// Commission export: the streamed workbook (ClosedXML summary + detail written row by row) against ClosedXML alone,
// each in a child process of its own so that its peak working set is its own.
//   dotnet run -c Release --project LoanHub.Benchmarks -- export [rows=1000000] [baselineRows=100000]
internal static class ExportBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var baseline = args.Length > 1 ? int.Parse(args[1]) : 100_000;
        Console.WriteLine($"Commission export, synthetic ledger rows, {Environment.ProcessorCount} cores");
        await ChildAsync("streamed", rows);
        await ChildAsync("closedxml", baseline);
    }

    private static async Task ChildAsync(string mode, int rows)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ExportBenchmark).Assembly.Location);
        foreach (var arg in new[] { "export-one", mode, rows.ToString() }) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        Console.Write(await child.StandardOutput.ReadToEndAsync());
        await child.WaitForExitAsync();
    }

    /// <summary>One measurement in this process: writes the workbook to a temporary file and prints time, size and peak memory.</summary>
    public static async Task RunOneAsync(string[] args)
    {
        var mode = args[0];
        var rows = int.Parse(args[1]);
        var path = Path.Combine(Path.GetTempPath(), $"loanhub-export-bench-{Guid.NewGuid():N}.xlsx");
        var idle = Process.GetCurrentProcess().WorkingSet64;
        var clock = Stopwatch.StartNew();
        if (mode == "streamed")
        {
            var filter = new ReportFilter(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
            await using var file = File.Create(path);
            await CommissionWorkbook.WriteAsync(file, filter, Summary(), Synthetic(rows));
        }
        else
        {
            ClosedXmlOnly(path, rows);
        }
        clock.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var name = mode == "streamed" ? "streamed detail (this export)" : "ClosedXML only (baseline)";
        Console.WriteLine($"{name,-32} {rows,10:N0} rows  {clock.Elapsed.TotalSeconds,6:F1} s  {rows / clock.Elapsed.TotalSeconds,9:N0} rows/s  " +
                          $"file {new FileInfo(path).Length / 1048576.0,6:F1} MiB  peak working set {self.PeakWorkingSet64 / 1048576.0,7:N0} MiB (idle {idle / 1048576.0:N0} MiB)");
        File.Delete(path);
    }

    private static List<SummaryRow> Summary() =>
        Enumerable.Range(1, 20).Select(i => new SummaryRow($"L{i % 8}", $"Lender {i % 8}", $"L{i % 8}-P{i}", $"Product {i}",
            (CommissionModel)(i % 3), 1000 * i, 300 * i, 100 * i, 1_000_000m * i, 1234.56m * i)).ToList();

    private static async IAsyncEnumerable<DetailRow> Synthetic(int rows)
    {
        var random = new Random(20261123);
        var start = new DateTime(2026, 3, 1);
        for (var i = 0; i < rows; i++)
        {
            var ev = (CommissionEvent)(i % 3);
            var funded = ev == CommissionEvent.Funded ? Math.Round((decimal)random.Next(100_000, 5_000_000) / 100m, 2) : (decimal?)null;
            yield return new DetailRow(start.AddSeconds(i * 2.6), $"L{i % 8}", $"L{i % 8}-P{i % 20}", Guid.CreateVersion7(), i % 2 == 0 ? "ADS" : "APP",
                ev, funded, funded is { } f ? Math.Round(f * 0.02m, 2) : 30m, $"ORD-2026-{i:D9}");
            if (i % 65_536 == 0) await Task.Yield();
        }
    }

    private static void ClosedXmlOnly(string path, int rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Detail");
        for (var c = 0; c < CommissionWorkbook.DetailHeaders.Count; c++) sheet.Cell(1, c + 1).SetValue(CommissionWorkbook.DetailHeaders[c]);
        var row = 2;
        foreach (var line in Synthetic(rows).ToBlockingEnumerable())
        {
            sheet.Cell(row, 1).SetValue(line.OccurredAt);
            sheet.Cell(row, 2).SetValue(line.Lender);
            sheet.Cell(row, 3).SetValue(line.Product);
            sheet.Cell(row, 4).SetValue(line.ApplicationId.ToString());
            sheet.Cell(row, 5).SetValue(line.Source);
            sheet.Cell(row, 6).SetValue(line.Event.ToString());
            if (line.FundedAmount is { } funded) sheet.Cell(row, 7).SetValue(funded);
            sheet.Cell(row, 8).SetValue(line.Commission);
            row++;
        }
        sheet.Column(1).Style.NumberFormat.Format = CommissionWorkbook.DateTimeFormat;
        sheet.Columns(7, 8).Style.NumberFormat.Format = CommissionWorkbook.MoneyFormat;
        workbook.SaveAs(path);
    }
}
