namespace LoanHub.Core.Domain;

/// <summary>CNY amounts are <see cref="decimal"/> with two places; this is the one rounding rule.</summary>
public static class Money
{
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static bool HasAtMostTwoPlaces(decimal amount) => Round(amount) == amount;
}
