using LoanHub.Web.Components;
using LoanHub.Web.Data.Seeding;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Audit;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Dashboard;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Features.Reports;
using LoanHub.Web.Features.Review;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Features.Sources;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Localization;
using LoanHub.Web.Security;
using MudBlazor.Services;

namespace LoanHub.Web;

public static class ConsoleExtensions
{
    /// <summary>The Blazor console: components, MudBlazor and the feature services behind the pages.</summary>
    public static IServiceCollection AddLoanHubConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddLoanHubLocalization();
        // Messages appear bottom centre, where they cover no page action (top right hid Claim, Approve, New user).
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter);
        services.AddTransient<MudBlazor.MudLocalizer, ConsoleMudLocalizer>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ConfigurationImporter>();
        services.AddScoped<IdentitySeeder>();
        services.AddSingleton<ConfigurationSeeder>();
        services.AddSingleton<DemoDataGenerator>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<UserAdminService>();
        services.AddSingleton<SimulationSeal>();
        services.AddSingleton<RoutingService>();
        services.AddSingleton<RoutingPolicyService>();
        services.AddSingleton<WeightSuggestionService>();
        services.AddSingleton<LoanHub.Web.Features.Risk.RiskPolicyService>();
        services.AddSingleton<ConfigurationExporter>();
        services.AddScoped<ApplicationsService>();
        services.AddScoped<AuditService>();
        services.AddScoped<ReviewService>();
        services.AddScoped<LoanHub.Web.Features.Blocklists.BlocklistService>();
        services.AddScoped<CatalogEditor>();
        services.AddScoped<LenderCatalogService>();
        services.AddScoped<LenderDeliveryService>();
        services.AddScoped<SourceService>();
        services.AddSingleton<ReportExports>();
        services.AddSingleton<CommissionReportService>();
        return services;
    }

    public static WebApplication UseLoanHubPipeline(this WebApplication app)
    {
        // Made explicit so the headers (and HSTS) come first: left implicit, routing and authentication would run before
        // them, and a sign-in redirect would carry neither the headers nor the scheme the proxy forwarded.
        app.UseLoanHubSecurityHeaders();
        app.UseRouting();
        app.UseAuthentication();
        // After authentication: the signed-in user's saved language comes first.
        app.UseRequestLocalization();
        app.UseAuthorization();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapLoanHubConsole(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapLanguageEndpoints();
        app.MapLendersEndpoints();
        app.MapReportsEndpoints();
        app.MapAuditEndpoints();
        app.MapApplicationsEndpoints();
        app.MapInsightsEndpoints();
        app.MapSuggestionEndpoints();
        return app;
    }
}
