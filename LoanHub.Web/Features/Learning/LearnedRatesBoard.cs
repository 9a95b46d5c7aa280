using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Learning;

/// <summary>
/// Where the current <see cref="LearnedRates"/> snapshot is published: the refresher swaps the reference, readers (the
/// writer once per group, the what-if, the insights) take whichever snapshot is current and never wait.
/// </summary>
public sealed class LearnedRatesBoard
{
    private volatile LearnedRates current = LearnedRates.None;

    public LearnedRates Current => current;

    internal void Publish(LearnedRates rates) => current = rates;
}
