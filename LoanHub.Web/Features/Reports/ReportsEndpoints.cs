using System.Globalization;
using LoanHub.Web.Security;
using LoanHub.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Reports;

public static class ReportsEndpoints
{
    public const string ExportPath = "/reports/commissions.xlsx";
    public const string BuiltPath = "/reports/exports";

    /// <summary>
    /// <c>GET /reports/commissions.xlsx?from=YYYY-MM-DD&amp;to=YYYY-MM-DD[&amp;lender=&amp;product=&amp;source=][&amp;lang=en|zh-CN]</c>: the
    /// commission workbook of a period (China Standard Time days, both inclusive) as a download, in the user's language
    /// unless <c>lang</c> chooses.
    /// </summary>
    public static IEndpointRouteBuilder MapReportsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportAsync)
            // Signed-in users only (anonymous ones are sent to sign in); the Reports policy is checked in the handler so a
            // signed-in user without the role gets a plain 403 rather than a redirect meant for pages.
            .RequireAuthorization()
            .ExcludeFromDescription();
        app.MapGet(BuiltPath + "/{token:guid}", DownloadBuiltAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>The endpoint URL of a filter, for the page's download link.</summary>
    public static string ExportUrl(ReportFilter filter)
    {
        var query = new Dictionary<string, string?>
        {
            ["from"] = filter.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = filter.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["lender"] = filter.Lender,
            ["product"] = filter.Product,
            ["source"] = filter.Source,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(ExportPath.TrimStart('/'),
            query.Where(q => !string.IsNullOrEmpty(q.Value)));
    }

    private static async Task<IResult> ExportAsync(string? from, string? to, string? lender, string? product, string? source, string? lang,
        HttpContext http, IAuthorizationService authorization, CommissionReportService reports, IStringLocalizer<ReportsStrings> text,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(http.User, Policies.Reports)).Succeeded)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Commission reports are for admins, operations managers and analysts.");

        var errors = new Dictionary<string, string[]>();
        var fromDay = ParseDay(from, "from", errors);
        var toDay = ParseDay(to, "to", errors);
        if (errors.Count == 0 && fromDay > toDay) errors["to"] = ["must not be before from"];
        // Exactly the two names, as the contract spells them ("en-US" is a browser's tag, not a choice of workbook).
        if (lang is not null && !ConsoleLanguages.All.Contains(lang, StringComparer.Ordinal))
            errors["lang"] = [$"must be {string.Join(" or ", ConsoleLanguages.All.Reverse())}"];
        var language = lang ?? ConsoleLanguages.Current;
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "The report period is not valid");

        var filter = new ReportFilter(fromDay, toDay, lender, product, source);
        FileStream? file = null;
        try
        {
            var entries = await reports.CountEntriesAsync(filter, cancellationToken);
            if (entries > CommissionWorkbook.MaxDetailRows)
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many ledger entries",
                    detail: $"{entries:N0} ledger entries do not fit one worksheet ({CommissionWorkbook.MaxDetailRows:N0}); narrow the period or filter by lender.");

            // Built in a temporary file (deleted when the download closes) so that memory stays flat whatever the size.
            file = new FileStream(Path.Combine(Path.GetTempPath(), $"loanhub-report-{Guid.NewGuid():N}.xlsx"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            var summary = await reports.SummaryAsync(filter, cancellationToken);
            // The request's culture for the rest of it: the words come from the resource of the language asked for.
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            var rows = await CommissionWorkbook.WriteAsync(file, filter, summary, reports.DetailAsync(filter, cancellationToken), null, cancellationToken,
                WorkbookWords.In(text));
            loggers.CreateLogger(typeof(ReportsEndpoints)).LogInformation("Exported {Rows} ledger entries for {From}–{To}", rows, filter.From, filter.To);
            file.Position = 0;
            var result = Results.File(file, CommissionWorkbook.ContentType, CommissionWorkbook.FileName(filter));
            file = null;
            return result;
        }
        catch (UnknownCodeException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] }, title: "The report filter is not valid");
        }
        finally
        {
            if (file is not null) await file.DisposeAsync();
        }
    }

    /// <summary>A workbook the page built with progress, fetched once by the user who built it, then deleted.</summary>
    private static async Task<IResult> DownloadBuiltAsync(Guid token, HttpContext http, IAuthorizationService authorization, ReportExports exports)
    {
        if (!(await authorization.AuthorizeAsync(http.User, Policies.Reports)).Succeeded)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Commission reports are for admins, operations managers and analysts.");
        if (exports.Take(token, http.User.Identity?.Name ?? "") is not { } built)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This export was already downloaded, has expired, or is not yours.");
        var file = new FileStream(built.Path, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return Results.File(file, CommissionWorkbook.ContentType, built.FileName);
    }

    private static DateOnly ParseDay(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[name] = ["is required as YYYY-MM-DD"];
        return default;
    }
}
