using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

public static class ApplicationsEndpoints
{
    /// <summary>The most rows one export holds: past it the filter is to be narrowed (Excel itself stops at 1,048,576).</summary>
    public const int MaxExportRows = 100_000;

    /// <summary>
    /// <c>GET /applications/export.csv?</c> with the list's own parameters (<see cref="ApplicationQuery"/>): the filtered list as
    /// CSV, in the user's language, as the page shows it.
    /// </summary>
    public static IEndpointRouteBuilder MapApplicationsEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed-in users only (anonymous ones are sent to sign in); the page's policy is checked in the handler so that a
        // signed-in user without it gets a plain 403 rather than a redirect meant for pages.
        app.MapGet("/" + ApplicationQuery.ExportPath, ExportAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, IAuthorizationService authorization, ApplicationsService applications,
        IStringLocalizer<ApplicationsStrings> text, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(http.User, Policies.ApplicationsRead)).Succeeded)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Your role does not include the applications list.");

        var options = await applications.GetFilterOptionsAsync(cancellationToken);
        var filter = ApplicationQuery.Parse(name => http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null, options);
        var (count, rows) = await applications.ExportAsync(filter, MaxExportRows, cancellationToken);
        if (count > MaxExportRows)
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many applications",
                detail: $"More than {MaxExportRows:N0} applications match; narrow the filter (a shorter period, one source) and export again.");

        var logger = loggers.CreateLogger(typeof(ApplicationsEndpoints));
        return Results.Stream(async body =>
        {
            var written = await ApplicationsCsv.WriteAsync(body, rows, text, cancellationToken);
            logger.LogInformation("{User} exported {Rows} applications as CSV", http.User.Identity?.Name, written);
        }, ApplicationsCsv.ContentType, ApplicationsCsv.FileName(clock.GetUtcNow()));
    }
}
