using LoanHub.Core.Domain;

namespace LoanHub.Web.Data;

/// <summary>
/// An application joined with its assessment, for queries that go on to filter and project both (the what-if, the
/// backtest): a member-initialised type, which EF Core can keep composing on, unlike a constructor's parameters.
/// </summary>
internal sealed class AssessedApplication
{
    public required LoanApplication Application { get; init; }
    public required RiskAssessment Assessment { get; init; }
}
