using System.Text.Json.Nodes;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Lenders;
using LoanHub.Web.Localization;

namespace LoanHub.Tests.Web.Localization;

/// <summary>Every problem the URL rules find reads in Chinese on a Chinese form, its values (an address, a host) kept.</summary>
public class FieldProblemTextTests
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

        Assert.Equal(chinese, Localizers.InCulture("zh-CN", () => FieldProblemText.Words(T, problem)));
    }

    /// <summary>What the URL, input and configuration rules write when each of their rules is broken once.</summary>
    private static IEnumerable<string> Written()
    {
        foreach (var row in Urls()) yield return EndpointRules.Problem((string)row[0], allowPrivateEndpoints: false)!;
        yield return InputRules.MoneyProblem(-1m)!;
        yield return InputRules.MoneyProblem(1.001m)!;
        yield return InputRules.CountProblem(-1, 0, 10)!;
        yield return InputRules.ProblemWith("a\u0001b")!;
        yield return InputRules.ProblemWith("a\u202Eb")!;
        yield return InputRules.ProblemWith("a\uD800b")!;
        string[] refusals =
        [
            ImportProblemTextTests.Refusal(s => s["sources"]![0] = null),
            ImportProblemTextTests.Refusal(s => s["sources"]![0]!["name"] = new string('x', 101)),
            ImportProblemTextTests.Refusal(s => s["sources"]![0]!["apiKey"] = "a key with spaces in it"),
            ImportProblemTextTests.Refusal(s => s["lenders"]![0]!["products"]![0]!["type"] = 99),
            ImportProblemTextTests.Refusal(s => s["lenders"]![0]!["products"] = new JsonArray([.. Enumerable.Range(0, 201).Select(_ => (JsonNode?)null)])),
        ];
        foreach (var refusal in refusals) yield return refusal[(refusal.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
    }

    [Fact]
    public void Every_shape_is_one_the_rules_write()
    {
        var written = Written().ToList();
        Assert.All(FieldProblemText.Keys, key => Assert.Contains(written, problem => new StoredSentence(key).TryRead(problem, out _)));
    }
}
