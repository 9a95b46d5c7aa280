using LoanHub.Core.Delivery;
using LoanHub.Tests.Web.Localization;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Localization;

namespace LoanHub.Tests.Web.Features.Lenders;

/// <summary>The reason the system paused a lender, as the engine words it, reads in the console's language.</summary>
public class PauseReasonTextTests
{
    private static readonly Microsoft.Extensions.Localization.IStringLocalizer<ConsoleStrings> T = Localizers.For<ConsoleStrings>();

    private static string In(string culture, string stored) => Localizers.InCulture(culture, () => PauseReasonText.Words(T, stored));

    [Theory]
    [InlineData(20, 8, 3, "已自动暂停：最近 15 分钟内 20 次推送中有 8 次超时和 3 次错误（失败率 55%，上限 50%）。")]
    [InlineData(1, 1, 0, "已自动暂停：最近 15 分钟内 1 次推送中有 1 次超时和 0 次错误（失败率 100%，上限 50%）。")]
    public void The_reason_the_policy_writes_reads_in_chinese(int attempts, int timeouts, int errors, string chinese)
    {
        var stored = AutoPausePolicy.Default.Reason(attempts, timeouts, errors);

        Assert.Equal(chinese, In("zh-CN", stored));
    }

    [Fact]
    public void In_english_the_reason_reads_as_the_policy_wrote_it_with_shares_as_the_console_writes_them()
    {
        var stored = AutoPausePolicy.Default.Reason(20, 1, 10);

        Assert.Equal("Paused automatically: 1 timeout and 10 errors in 20 attempts over the last 15 minutes (55%; the limit is 50%).", In("en", stored));
        Assert.Equal("Paused by hand.", In("zh-CN", "Paused by hand."));
    }
}
