namespace LoanHub.Web.Features.Alerts;

/// <summary>How the alert centre runs (<c>LoanHub:Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "LoanHub:Alerts";

    /// <summary>How often the rules look at the store.</summary>
    public int CheckSeconds { get; set; } = 60;

    /// <summary>The language of the robots' messages: the operations team's group reads Chinese unless told otherwise.</summary>
    public string Language { get; set; } = "zh-CN";

    /// <summary>The console's public address (https://loanhub.example.com/); when set, robot messages link to the page that handles the alert.</summary>
    public string? ConsoleUrl { get; set; }

    public TimeSpan CheckEvery => TimeSpan.FromSeconds(Math.Max(5, CheckSeconds));
}
