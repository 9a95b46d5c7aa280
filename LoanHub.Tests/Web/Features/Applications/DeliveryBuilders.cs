using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Localization;
using LoanHub.Web.Features.Applications;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>
/// Applications and their delivery attempts built through the domain's own methods, as the writer records them, and
/// laid out by <see cref="ApplicationTimeline"/> and <see cref="DeliveryView"/> as the detail page shows them.
/// </summary>
internal static class DeliveryBuilders
{
    /// <summary>10:00:00 China Standard Time.</summary>
    public static readonly DateTimeOffset At = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    public static LoanApplication Application() => new(SourceId.New(), "ADS-42", "request-hash", At,
        new Applicant("王芳", NationalId(709_001), "13900000001", "31", "Shanghai", 12_000m, 1_500m, Employment.Salaried, 20_000m, 12,
            LoanPurpose.Consumption, "device-1", "10.0.0.1", 760),
        new Consent(true, true, false, "我同意"), new LookupHashes("identity-hash", "phone-hash", "device-hash", "ip-hash"));

    public static DeliveryAttempt Attempt(LoanApplication application, int sequence, bool withPrecheck, double secondsAfterReceipt = 0) =>
        new(application.Id, LenderId.New(), ProductId.New(), sequence, withPrecheck, 30m, At.AddSeconds(secondsAfterReceipt));

    public static DeliveryAttemptView View(DeliveryAttempt attempt, string lender, string product) => DeliveryAttemptView.Of(attempt, lender, product);

    public static AllocationSummary Allocation(string lender, string product, DateTimeOffset at, bool pulled = false) =>
        new(lender, $"{lender} lender", product, $"{product} product", RoutingStrategy.Weighted, at, 30m, DeliveryStatus.Delivered, null, 0m, pulled);

    public static IReadOnlyList<TimelineEvent> Timeline(LoanApplication application, AllocationSummary? allocation, params DeliveryAttemptView[] attempts) =>
        ApplicationTimeline.Build(Localizers.For<ApplicationsStrings>(), application, "Ad campaigns", null, null, null, allocation, attempts, [], []);
}
