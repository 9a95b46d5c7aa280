using LoanHub.Core.Engine;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Features.Outcomes;
using LoanHub.Web.Security;

namespace LoanHub.Web.Features.Intake;

public static class IntakeExtensions
{
    /// <summary>The decision engine and its single writer, the intake API's rate limits and its OpenAPI document.</summary>
    public static IHostApplicationBuilder AddLoanHubEngine(this IHostApplicationBuilder builder)
    {
        // The configured thresholds are version 1 of the risk policy; the engine decides by the active version (Features/Risk).
        var risk = new RiskPolicy(builder.Configuration.GetSection("LoanHub:Decision").Get<DecisionPolicy>() ?? DecisionPolicy.Default,
            builder.Configuration.GetSection("LoanHub:Fraud").Get<FraudPolicy>() ?? FraudPolicy.Default);
        builder.Services.AddSingleton(risk);
        builder.Services.AddSingleton(builder.Configuration.GetSection("LoanHub:Intake").Get<IntakeOptions>() ?? new IntakeOptions());
        builder.Services.AddSingleton(new DecisionEngine(LoadScorecard(builder), risk.Decision));
        builder.Services.AddSingleton(builder.Configuration.GetSection(DeliveryOptions.Section).Get<DeliveryOptions>() ?? new DeliveryOptions());
        builder.Services.AddLenderClient();
        builder.Services.AddSingleton<LoanHub.Web.Features.Cluster.WriterTurns>();
        builder.Services.AddSingleton<LoanHub.Web.Features.Cluster.ClusterSignals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LoanHub.Web.Features.Cluster.ClusterSignals>());
        // Registered before the writer, so it stops after it: an instance signs off only once its calls are dropped.
        builder.Services.AddSingleton<LoanHub.Web.Features.Cluster.ClusterMembership>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LoanHub.Web.Features.Cluster.ClusterMembership>());
        builder.Services.AddSingleton<EngineStateLoader>();
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddSingleton<LoanHub.Web.Features.Blocklists.ActiveBlocklist>();
        builder.Services.AddSingleton(sp => new EngineHost(
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<LoanHub.Web.Data.LoanHubDbContext>>(),
            sp.GetRequiredService<LoanHub.Web.Security.PersonalData>(), sp.GetRequiredService<DecisionEngine>(),
            sp.GetRequiredService<EngineStateLoader>(), sp.GetRequiredService<DeliveryDispatcher>(),
            sp.GetRequiredService<LoanHub.Web.Features.Blocklists.ActiveBlocklist>(), sp.GetRequiredService<IntakeOptions>(),
            sp.GetRequiredService<DeliveryOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EngineHost>>(),
            sp.GetRequiredService<LoanHub.Web.Features.Learning.LearnedRatesBoard>(), sp.GetRequiredService<LoanHub.Web.Features.Cluster.WriterTurns>(),
            sp.GetRequiredService<LoanHub.Web.Features.Cluster.ClusterSignals>(), sp.GetRequiredService<LoanHub.Web.Features.Cluster.ClusterMembership>()));
        builder.Services.AddSingleton<SourceKeys>();
        builder.Services.AddSingleton<LenderKeys>();
        builder.Services.AddSingleton<LoanHub.Web.Features.Outcomes.PostbackService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EngineHost>());
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = 10_000);
        builder.Services.AddApiRateLimits();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The scorecard table is configuration (<c>LoanHub:Engine:ScorecardFile</c>), versioned by its own <c>version</c> field.</summary>
    private static Scorecard LoadScorecard(IHostApplicationBuilder builder)
    {
        var file = builder.Configuration["LoanHub:Engine:ScorecardFile"] is { Length: > 0 } configured ? configured : "scorecard.json";
        var path = Path.IsPathRooted(file) ? file : Path.Combine(builder.Environment.ContentRootPath, file);
        if (!File.Exists(path))
            throw new InvalidOperationException($"The scorecard file {path} (LoanHub:Engine:ScorecardFile) does not exist.");
        return new Scorecard(ScorecardDefinition.FromJson(File.ReadAllText(path)));
    }

    public static WebApplication MapLoanHubApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapIntakeApi();
        app.MapPostbackApi();
        app.MapLeadsApi();
        return app;
    }
}
