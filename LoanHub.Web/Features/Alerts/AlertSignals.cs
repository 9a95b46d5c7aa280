namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// Tells this instance's open pages that alerts changed (raised, cleared, acknowledged here), so the app bar's count
/// moves at once; pages also re-read every <see cref="PollEvery"/> for what other instances did.
/// </summary>
public sealed class AlertSignals
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(20);

    public event Action? Changed;

    public void Raise() => Changed?.Invoke();
}
