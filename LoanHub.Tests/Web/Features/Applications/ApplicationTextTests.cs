using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Applications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>The words made from codes (<see cref="ApplicationText"/>, <see cref="DeliveryText"/>), which the resource guard cannot read from markup.</summary>
public class ApplicationTextTests : ComponentTestContext
{
    private IStringLocalizer<ApplicationsStrings> Chinese()
    {
        InLanguage("zh-CN");
        return Services.GetRequiredService<IStringLocalizer<ApplicationsStrings>>();
    }

    private static void AllChinese<T>(IEnumerable<T> values, Func<T, string> words) =>
        Assert.All(values, v => Assert.True(words(v).Any(c => c >= '\u4E00' && c <= '\u9FFF'), $"{v}: {words(v)}"));

    [Fact]
    public void Every_status_employment_purpose_province_attribute_and_strategy_has_chinese()
    {
        var L = Chinese();

        AllChinese(Enum.GetValues<ApplicationStatus>(), L.Status);
        AllChinese(Enum.GetValues<Employment>(), L.Employment);
        AllChinese(Enum.GetValues<LoanPurpose>(), L.Purpose);
        AllChinese(Provinces.All.Values, L.Province);
        AllChinese(Enum.GetValues<ScoredAttribute>(), L.Attribute);
        AllChinese(Enum.GetValues<RoutingStrategy>(), L.Strategy);
    }

    [Fact]
    public void Every_scorecard_reason_has_chinese()
    {
        var L = Chinese();

        AllChinese(Enum.GetValues<ScoredAttribute>().SelectMany(a => new[] { ReasonCode.For(a, false, 1m), ReasonCode.For(a, true, 1m) }), L.Reason);
    }

    [Fact]
    public void Every_delivery_cause_answer_and_outcome_has_chinese()
    {
        var L = Chinese();

        AllChinese(Enum.GetValues<UnmatchedCause>(), L.Cause);
        AllChinese(Enum.GetValues<CallResult>(), L.Answer);
        AllChinese(Enum.GetValues<AttemptOutcome>(), L.Outcome);
        AllChinese([DeliveryText.InProgress, DeliveryText.PullLender, DeliveryText.Waiting], key => L[key]);
    }

    [Fact]
    public void Money_reads_the_same_in_both_languages()
    {
        InLanguage("zh-CN");
        Assert.Equal("¥1,234.50", LoanHub.Web.Localization.ConsoleFormat.Money(1234.5m));
        InLanguage("en");
        Assert.Equal("¥1,234.50", LoanHub.Web.Localization.ConsoleFormat.Money(1234.5m));
    }
}
