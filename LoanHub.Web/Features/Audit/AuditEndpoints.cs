using System.Globalization;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Exports;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Audit;

/// <summary><c>GET /audit/export.csv?area=&amp;actor=&amp;action=&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd</c>: the filtered log as CSV, newest first, only the areas the reader may read.</summary>
public static class AuditEndpoints
{
    public const string ExportPath = "audit/export.csv";

    /// <summary>The most entries one export holds: past it the filter is to be narrowed.</summary>
    public const int MaxExportRows = AuditService.CountCap;

    public static string ExportUrl(AuditFilter filter)
    {
        var query = new Dictionary<string, string?>
        {
            ["area"] = filter.Area,
            ["actor"] = string.IsNullOrWhiteSpace(filter.Actor) ? null : filter.Actor.Trim(),
            ["action"] = string.IsNullOrWhiteSpace(filter.Action) ? null : filter.Action.Trim(),
            ["from"] = filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString(ExportPath, query.Where(p => p.Value is not null)!);
    }

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed-in only at the endpoint; the audit policy is checked in the handler (a plain 403, not a redirect meant for pages).
        app.MapGet("/" + ExportPath, ExportAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, IAuthorizationService authorization, AuditService audit,
        IStringLocalizer<AuditStrings> L, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(http.User, Policies.AuditRead)).Succeeded)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Your role does not include the audit log.");
        string? Text(string name) => http.Request.Query.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString().Trim() : null;
        DateOnly? Day(string name) => Text(name) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
        var filter = new AuditFilter { Area = Text("area"), Actor = Text("actor"), Action = Text("action"), From = Day("from"), To = Day("to") };
        if (filter.From > filter.To)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid period", detail: "from is after to.");
        var first = await audit.SearchAsync(filter, 0, 1, http.User, cancellationToken);
        if (first.TotalIsCapped)
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many entries",
                detail: $"More than {MaxExportRows:N0} entries match; narrow the filter (a shorter period, one area) and export again.");

        var logger = loggers.CreateLogger(typeof(AuditEndpoints));
        return Results.Stream(async body =>
        {
            var written = await CsvFile.WriteAsync(body, [L["When"], L["Actor"], L["Area"], L["Action"], L["Record"], L["Record ID"], L["Before"], L["After"]],
                audit.AllAsync(filter, http.User, cancellationToken),
                row => [ChinaTime.Format(row.At, "yyyy-MM-dd HH:mm:ss"), row.Actor, L.Area(row.Area), L.Action(row.Action), L.Record(row.Record), row.EntityId,
                    row.Before ?? "", row.After ?? ""],
                cancellationToken);
            logger.LogInformation("{User} exported {Rows} audit entries as CSV", http.User.Identity?.Name, written);
        }, CsvFile.ContentType, $"audit-{ChinaTime.Format(clock.GetUtcNow(), "yyyyMMdd-HHmm")}.csv");
    }
}
