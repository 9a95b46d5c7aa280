using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Security;

namespace LoanHub.Web.Features.Lenders;

public static class LendersEndpoints
{
    /// <summary><c>GET /lenders/export.json</c>: the whole configuration as the seed JSON, without API keys, as a download.</summary>
    public static IEndpointRouteBuilder MapLendersEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/lenders/export.json", async (ConfigurationExporter exporter, CancellationToken cancellationToken) =>
                Results.File(await exporter.ExportJsonAsync(cancellationToken), "application/json", ConfigurationExporter.FileName))
            .RequireAuthorization(Policies.LendersRead)
            .ExcludeFromDescription();
        return app;
    }
}
