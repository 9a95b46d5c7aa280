namespace LoanHub.Core.Domain;

/// <summary>A rule of the domain was broken; the message is fit to show an operator.</summary>
public sealed class DomainException(string message) : Exception(message);
