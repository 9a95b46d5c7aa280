namespace LoanHub.Web.Features.Learning;

public static class LearningExtensions
{
    /// <summary>Rates learned from outcomes: the published snapshot, its refresher and the insights behind the routing page.</summary>
    public static IHostApplicationBuilder AddLoanHubLearning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection(LearningOptions.Section).Get<LearningOptions>() ?? new LearningOptions());
        builder.Services.AddSingleton<LearnedRatesBoard>();
        builder.Services.AddSingleton<LearnedRatesRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LearnedRatesRefresher>());
        builder.Services.AddSingleton<InsightsService>();
        return builder;
    }
}
