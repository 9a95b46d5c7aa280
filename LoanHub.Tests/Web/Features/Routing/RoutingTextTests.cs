using System.Reflection;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>The words <see cref="RoutingText"/> makes of what the routing services return, which the resource guard cannot read from markup.</summary>
public class RoutingTextTests : ComponentTestContext
{
    private IStringLocalizer<RoutingStrings> Words(string language) => Localizer<RoutingStrings>(language);

    private IStringLocalizer<ApplicationsStrings> Applications => Services.GetRequiredService<IStringLocalizer<ApplicationsStrings>>();

    private static ProductSetting Cash(int weight, int? cap, decimal? budget) =>
        new(new ProductId(Guid.Parse("5a0c1f5e-0000-0000-0000-000000000001")), "L1", "L1", "L1-CASH", "Cash", true, weight, 1, cap, budget,
            CommissionContract.PerSale(0.02m));

    [Fact]
    public void Every_strategy_has_a_name_of_words_and_an_explanation_in_both_languages()
    {
        var english = Words("en");
        Assert.All(Enum.GetValues<RoutingStrategy>(), s => Assert.Matches(@"^[A-Z][a-z]+( [a-z]+)*$", Applications.Strategy(s)));
        Assert.Equal("Expected value", Applications.Strategy(RoutingStrategy.ExpectedValue));
        Assert.Equal("Waterfall by priority, ties by weight", english.StrategyHelp(RoutingStrategy.Priority));

        var chinese = Words("zh-CN");
        Assert.All(Enum.GetValues<RoutingStrategy>(), s =>
        {
            Assert.True(HasChinese(Applications.Strategy(s)), s.ToString());
            Assert.True(HasChinese(chinese.StrategyHelp(s)), s.ToString());
        });
    }

    [Fact]
    public void A_proposals_changes_read_as_sentences_in_both_languages()
    {
        var before = new RoutingProposal(RoutingStrategy.Weighted, [Cash(50, 100, 50_000m)]);
        var after = new RoutingProposal(RoutingStrategy.Priority, [Cash(80, null, null)]);
        var changes = after.ChangesFrom(before);

        Assert.Equal(["Strategy Weighted → Priority", "L1-CASH: weight 50 → 80", "L1-CASH: daily cap 100 → none", "L1-CASH: monthly budget ¥50,000.00 → none"],
            changes.Select(c => Words("en").Change(Applications, c)));
        Assert.Equal(["分发方式 加权轮转 → 优先级", "L1-CASH：权重 50 → 80", "L1-CASH：日上限 100 → 不限", "L1-CASH：月预算 ¥50,000.00 → 不限"],
            changes.Select(c => Words("zh-CN").Change(Applications, c)));
    }

    [Fact]
    public void Every_message_the_routing_services_give_has_chinese_with_its_values_in_place()
    {
        var L = Words("zh-CN");
        var constants = new[] { typeof(RoutingPolicyService), typeof(WeightSuggestionService.Text), typeof(RoutingService) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name != nameof(RoutingPolicyService.AuditArea))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(constants);
        Assert.All(constants, message => Assert.False(L[message].ResourceNotFound, message));

        var stale = new SaveResult(false, RoutingPolicyService.SavedSinceSimulation)
        {
            Arguments = ["ops@test.local", 8, 7],
        };
        Assert.Equal("你的模拟基于版本 7 运行后，ops@test.local 保存了版本 8。请刷新查看，然后重新修改并模拟。", L.Said(stale));
        Assert.Equal("已保存为版本 9。", L.Said(new SaveResult(true, RoutingPolicyService.Saved) { Arguments = [9] }));
    }
}
