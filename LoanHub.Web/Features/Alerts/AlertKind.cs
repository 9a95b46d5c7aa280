namespace LoanHub.Web.Features.Alerts;

/// <summary>What an alert watches. Stored by name: a rule's row and every alert it raised say which.</summary>
public enum AlertKind
{
    /// <summary>A product took as many leads today as its daily cap allows.</summary>
    DailyCapReached,
    /// <summary>A product committed more of its monthly budget than the threshold (percent).</summary>
    BudgetNearlySpent,
    /// <summary>The system paused a lender whose endpoint kept failing.</summary>
    LenderAutoPaused,
    /// <summary>A lender that has leads to report on reported no outcome for the threshold's days.</summary>
    NoOutcomes,
    /// <summary>Over the last hour, a source's share of applicants with fraud signals passed the threshold (percent).</summary>
    SourceFraudRate,
    /// <summary>The review queue's oldest open case has waited longer than the threshold (hours).</summary>
    ReviewSla,
    /// <summary>Over the delivery health window, a lender's failed and timed-out calls passed the threshold (percent of attempts).</summary>
    DeliveryErrors,
}

/// <summary>The unit a rule's threshold is written in.</summary>
public enum ThresholdUnit { None, Percent, Days, Hours }

/// <summary>Where a rule's alerts are also sent.</summary>
public enum AlertChannel { None, WeCom, DingTalk }

/// <summary>What each kind of rule does when nobody has tuned it, and the bounds an admin may set.</summary>
public static class AlertDefaults
{
    public static IReadOnlyList<AlertKind> Kinds { get; } = Enum.GetValues<AlertKind>();

    public static ThresholdUnit UnitOf(AlertKind kind) => kind switch
    {
        AlertKind.BudgetNearlySpent or AlertKind.SourceFraudRate or AlertKind.DeliveryErrors => ThresholdUnit.Percent,
        AlertKind.NoOutcomes => ThresholdUnit.Days,
        AlertKind.ReviewSla => ThresholdUnit.Hours,
        _ => ThresholdUnit.None,
    };

    public static decimal? ThresholdOf(AlertKind kind) => kind switch
    {
        AlertKind.BudgetNearlySpent => 90m,
        AlertKind.SourceFraudRate => 30m,
        AlertKind.DeliveryErrors => 20m,
        AlertKind.NoOutcomes => 3m,
        AlertKind.ReviewSla => 4m,
        _ => null,
    };

    /// <summary>The least and most a threshold may be, in its unit.</summary>
    public static (decimal Min, decimal Max) RangeOf(AlertKind kind) => UnitOf(kind) switch
    {
        ThresholdUnit.Percent => (1m, 100m),
        ThresholdUnit.Days => (1m, 90m),
        ThresholdUnit.Hours => (0.25m, 168m),
        _ => (0m, 0m),
    };

    /// <summary>Whether <paramref name="threshold"/> is one the kind's rule may have (a kind without a threshold takes any).</summary>
    public static bool IsValidThreshold(AlertKind kind, decimal? threshold)
    {
        if (UnitOf(kind) == ThresholdUnit.None) return true;
        var (min, max) = RangeOf(kind);
        return threshold is { } t && t >= min && t <= max;
    }

    /// <summary>Fewer applicants in the hour than this and a source's fraud rate is noise, not an alert.</summary>
    public const int MinApplicantsForFraudRate = 20;

    /// <summary>Fewer attempts in the window than this and a lender's error rate is noise, not an alert.</summary>
    public const int MinAttemptsForErrorRate = 10;

    /// <summary>Only lenders that had a lead in this many days before the quiet period are expected to report.</summary>
    public const int OutcomeLookbackDays = 30;
}
