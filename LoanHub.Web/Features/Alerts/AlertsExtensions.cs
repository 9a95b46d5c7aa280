using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Alerts;

public static class AlertsExtensions
{
    /// <summary>The alert centre: its rules' check every minute, the book behind the pages, and the robots' HTTP client.</summary>
    public static IHostApplicationBuilder AddLoanHubAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection(AlertOptions.Section).Get<AlertOptions>() ?? new AlertOptions());
        // The lenders' guarded handler: a robot address cannot be pointed at an internal host either.
        builder.Services.AddHttpClient(RobotWebhook.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => LenderClient.CreateHandler(sp.GetRequiredService<DeliveryOptions>()))
            .RemoveAllLoggers();
        builder.Services.AddSingleton<RobotWebhook>();
        builder.Services.AddSingleton<AlertBook>();
        builder.Services.AddHostedService<AlertMonitor>();
        return builder;
    }
}
