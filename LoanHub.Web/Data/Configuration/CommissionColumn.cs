using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Data.Configuration;

/// <summary>
/// A commission contract as one JSON column, written the same way on a product and on the allocations that keep the
/// contract they were delivered under (so a migration can copy one to the other as text).
/// </summary>
internal static class CommissionColumn
{
    public static PropertyBuilder<CommissionContract> HasCommissionJson(this PropertyBuilder<CommissionContract> property) =>
        property.HasJsonConversion(
            c => new CommissionJson(c.Model, c.Amount, c.Rate),
            j => CommissionContract.Create(j.Model, j.Amount, j.Rate));

    private sealed record CommissionJson(CommissionModel Model, decimal Amount, decimal Rate);
}
