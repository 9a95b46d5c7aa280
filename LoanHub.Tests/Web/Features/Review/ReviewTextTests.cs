using Bunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Review;
using Microsoft.Extensions.DependencyInjection;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Tests.Web.Features.Review;

/// <summary>The words <see cref="ReviewText"/> makes from codes and times, which the resource guard cannot read from markup.</summary>
public class ReviewTextTests : ComponentTestContext
{
    private IStringLocalizer<ReviewStrings> Words(string language)
    {
        InLanguage(language);
        return Services.GetRequiredService<IStringLocalizer<ReviewStrings>>();
    }

    private static bool IsChinese(string text) => text.Any(c => c >= '\u4E00' && c <= '\u9FFF');

    [Fact]
    public void Every_code_the_queue_explains_and_every_link_and_case_state_has_chinese()
    {
        var L = Words("zh-CN");

        Assert.All(ReviewText.DescribedCodes, code => Assert.True(IsChinese(L.Describe(code)), code));
        Assert.All(ReviewText.NamedCodes, code => Assert.True(IsChinese(L.Name(code)), code));
        Assert.Equal(ReviewText.DescribedCodes.Order(), ReviewText.NamedCodes.Order()); // every code has both its words and its sentence
        Assert.All(Enum.GetValues<LinkKind>(), kind => Assert.True(IsChinese(L.LinkLabel(kind)), kind.ToString()));
        Assert.All(Enum.GetValues<ReviewStatus>(), status => Assert.True(IsChinese(L.Status(status)), status.ToString()));
    }

    [Theory]
    [InlineData(0, "just now", "刚刚")]
    [InlineData(45, "45 min", "45 分钟")]
    [InlineData(200, "3 h 20 min", "3 小时 20 分钟")]
    [InlineData(180, "3 h", "3 小时")]
    [InlineData(3120, "2 d 4 h", "2 天 4 小时")]
    public void Ages_read_the_same_in_both_languages(int minutes, string english, string chinese)
    {
        InLanguage("en");
        Assert.Equal(english, Services.GetRequiredService<IStringLocalizer<LoanHub.Web.Localization.ConsoleStrings>>().Age(TimeSpan.FromMinutes(minutes)));
        InLanguage("zh-CN");
        Assert.Equal(chinese, Services.GetRequiredService<IStringLocalizer<LoanHub.Web.Localization.ConsoleStrings>>().Age(TimeSpan.FromMinutes(minutes)));
    }

    [Fact]
    public void A_code_it_does_not_know_is_shown_as_the_code()
    {
        Assert.Equal("NEW_SIGNAL", Words("zh-CN").Describe("NEW_SIGNAL"));
        Assert.Equal("NEW_SIGNAL", Words("zh-CN").Name("NEW_SIGNAL"));
    }

    [Theory]
    [InlineData(60, "within")]
    [InlineData(179, "within")]
    [InlineData(180, "near")]
    [InlineData(239, "near")]
    [InlineData(240, "past")]
    [InlineData(3000, "past")]
    public void A_case_age_is_plain_within_the_sla_amber_from_three_quarters_and_red_past_it(int minutes, string standing)
    {
        InLanguage("zh-CN");

        var age = Render<SlaAge>(p => p.Add(a => a.Waited, TimeSpan.FromMinutes(minutes)).Add(a => a.Sla, TimeSpan.FromHours(4)));

        Assert.Equal(standing, age.Find("[data-sla]").GetAttribute("data-sla"));
        if (standing == "past") Assert.Contains("超过时限 4 小时", age.Find("[data-sla]").GetAttribute("aria-label"));
    }
}
