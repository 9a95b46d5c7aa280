using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Intake;

public static class IntakeExtensions
{
    /// <summary>The decision engine and its single writer, the intake API's rate limits and its OpenAPI document.</summary>
    public static IHostApplicationBuilder AddLoanHubEngine(this IHostApplicationBuilder builder)
    {
        var fraud = builder.Configuration.GetSection("LoanHub:Fraud").Get<FraudPolicy>() ?? FraudPolicy.Default;
        builder.Services.AddSingleton(fraud);
        builder.Services.AddSingleton(DecisionEngine.Default);
        builder.Services.AddSingleton<EngineHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EngineHost>());
        builder.Services.AddIntakeRateLimiting(builder.Configuration);
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapLoanHubApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapIntakeApi();
        return app;
    }
}
