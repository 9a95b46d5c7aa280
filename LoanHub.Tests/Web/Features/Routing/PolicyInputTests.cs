using LoanHub.Core.Domain;
using LoanHub.Web.Features.Routing;

namespace LoanHub.Tests.Web.Features.Routing;

public class PolicyInputTests
{
    private static readonly ProductSetting Cash = new(ProductId.New(), "L1", "First Lender", "L1-CASH", "Cash loan", true,
        Weight: 50, Priority: 1, DailyCap: 100, MonthlyBudget: 50_000m, Commission: CommissionContract.PerSale(0.02m));

    [Theory]
    [InlineData(PolicyField.Weight, "1,200", "1,200")]
    [InlineData(PolicyField.Priority, " 7 ", "7")]
    [InlineData(PolicyField.DailyCap, "", "")]
    [InlineData(PolicyField.MonthlyBudget, "20000.5", "20,000.5")]
    [InlineData(PolicyField.MonthlyBudget, "", "")]
    public void Readable_text_updates_the_setting_and_shows_with_separators(PolicyField field, string typed, string shown)
    {
        var (updated, problem) = PolicyInput.Read(Cash, field, typed);

        Assert.Null(problem);
        Assert.Equal(shown, PolicyInput.Show(updated!, field));
    }

    [Theory]
    [InlineData(PolicyField.Weight, "")]
    [InlineData(PolicyField.Weight, "12.5")]
    [InlineData(PolicyField.Priority, "x")]
    [InlineData(PolicyField.DailyCap, "99999999999")]
    [InlineData(PolicyField.MonthlyBudget, "¥5")]
    public void Text_that_is_not_a_number_the_field_holds_is_refused_without_a_value(PolicyField field, string typed)
    {
        var (updated, problem) = PolicyInput.Read(Cash, field, typed);

        Assert.Null(updated);
        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData(-1, 1, 0, 0d)]
    [InlineData(10_001, 1, 0, 0d)]
    [InlineData(10_000, 1_000, 0, 0d)]
    [InlineData(0, 0, null, null)]
    [InlineData(5, -1, 0, 0d)]
    [InlineData(5, 1_001, 0, 0d)]
    [InlineData(5, 1, -1, 0d)]
    [InlineData(5, 1, 1, -0.01d)]
    [InlineData(5, 1, 1, 0.001d)]
    [InlineData(5, 1, 1, 12_345.67d)]
    public void The_page_accepts_exactly_what_the_domain_accepts(int weight, int priority, int? cap, double? budget)
    {
        var setting = Cash with { Weight = weight, Priority = priority, DailyCap = cap, MonthlyBudget = (decimal?)budget };

        var domainAccepts = true;
        try
        {
            _ = setting.Limits;
        }
        catch (DomainException)
        {
            domainAccepts = false;
        }

        Assert.Equal(domainAccepts, setting.IsValid);
    }
}
