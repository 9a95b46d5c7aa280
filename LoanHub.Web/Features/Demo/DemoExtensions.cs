using LoanHub.Web.Data.Seeding;
using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Demo;

public static class DemoExtensions
{
    /// <summary>Demo mode (<c>LoanHub:Seed:Demo</c>), never in Production: the simulated lenders and, once the server listens, live traffic.</summary>
    public static bool IsDemo(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool>($"{SeedOptions.Section}:{nameof(SeedOptions.Demo)}") && !environment.IsProduction();

    public static IHostApplicationBuilder AddLoanHubDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoLenders>();
        if (!IsDemo(builder.Configuration, builder.Environment)) return builder;
        builder.Services.AddTransient<DemoLenderTransport>();
        builder.Services.AddHttpClient(LenderClient.HttpClientName).AddHttpMessageHandler<DemoLenderTransport>();
        builder.Services.AddDemoLiveServices();
        return builder;
    }

    public static WebApplication MapLoanHubDemo(this WebApplication app)
    {
        if (IsDemo(app.Configuration, app.Environment)) app.MapDemoLenders();
        return app;
    }
}
