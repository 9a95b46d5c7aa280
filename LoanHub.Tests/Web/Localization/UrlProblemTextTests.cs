using LoanHub.Core.Delivery;
using LoanHub.Web.Localization;

namespace LoanHub.Tests.Web.Localization;

/// <summary>Every problem the URL rules find reads in Chinese on a Chinese form, its values (an address, a host) kept.</summary>
public class UrlProblemTextTests
{
    private static readonly Microsoft.Extensions.Localization.IStringLocalizer<ConsoleStrings> T = Localizers.For<ConsoleStrings>();

    public static TheoryData<string, string> Urls() => new()
    {
        { "", "为必填项" },
        { "https://lender.example/" + new string('a', 500), "不能超过 500 个字符" },
        { "ftp://lender.example/leads", "必须是完整的 https 地址" },
        { "https://user:secret@lender.example/leads", "不能包含用户名或密码" },
        { "https://lender.example/leads#top", "不能包含片段（#）" },
        { "http://lender.example/leads", "必须使用 https（仅 127.0.0.1、localhost 或 [::1] 可用 http）" },
        { "https://10.0.0.7/leads", "指向内网地址（10.0.0.7），不允许私有地址和链路本地地址" },
        { "https://db.internal/leads", "指向内网主机名（db.internal）" },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public void Each_problem_the_rules_find_reads_in_chinese(string url, string chinese)
    {
        var problem = EndpointRules.Problem(url, allowPrivateEndpoints: false);
        Assert.NotNull(problem);

        Assert.Equal(chinese, Localizers.InCulture("zh-CN", () => UrlProblemText.Words(T, problem)));
    }

    [Fact]
    public void Every_shape_is_one_the_rules_write()
    {
        var written = Urls().Select(row => EndpointRules.Problem((string)row[0], allowPrivateEndpoints: false)!).ToList();
        Assert.All(UrlProblemText.Keys, key => Assert.Contains(written, problem => new StoredSentence(key).TryRead(problem, out _)));
    }
}
