using System.Text.Json.Nodes;
using LoanHub.Tests.Web.Localization;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Tests.Web.Features.Lenders;

/// <summary>Why a configuration file is refused reads in Chinese on a Chinese import dialog, the entry and field named as the file names them.</summary>
public class ImportProblemTextTests
{
    private static readonly IStringLocalizer<LendersStrings> L = Localizers.For<LendersStrings>();
    private static readonly IStringLocalizer<ConsoleStrings> T = Localizers.For<ConsoleStrings>();

    /// <summary>The example seed file with one change made at <paramref name="change"/>.</summary>
    internal static string Refusal(Action<JsonNode> change)
    {
        var seed = JsonNode.Parse(File.ReadAllText(LoanHubHost.ExampleSeedFile))!;
        change(seed);
        return Assert.Throws<ConfigurationException>(() => ConfigurationDocument.Parse(seed.ToJsonString())).Message;
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { Refusal(s => s["lenders"]![0]!["products"]![0]!["maxAmount"] = -5), "lenders[0] (L1) products[0] (L1-CASH)：maxAmount：必须在 0 到 " },
        { Refusal(s => s["lenders"]![0]!["products"]![0]!["minAmount"] = 1000.123), "lenders[0] (L1) products[0] (L1-CASH)：minAmount：最多保留两位小数" },
        { Refusal(s => s["sources"]![0]!["name"] = "Ads\u202Ecampaign"), "sources[0] (ADS)：name：不能包含双向控制字符" },
        { Refusal(s => s["sources"]![0]!["name"] = new string('x', 101)), "sources[0] (ADS)：name：不能超过 100 个字符" },
        { Refusal(s => s["lenders"]![0]!["products"]![0]!["type"] = 99), "lenders[0] (L1) products[0] (L1-CASH)：type：必须是以下之一：" },
        { Refusal(s => s["sources"]![0] = null), "sources[0]：为空" },
        { Refusal(s => s["sources"]![0]!["apiKey"] = "a key with spaces in it"), "sources[0] (ADS)：apiKey：最多 256 个可打印 ASCII 字符，且不能有空格" },
        { Refusal(s => s["lenders"]![0]!["products"]![0]!["apr"] = new JsonObject { ["min"] = 0.2, ["max"] = 0.1 }), "lenders[0] (L1) products[0] (L1-CASH)：apr：最高年化利率不能低于最低年化利率。" },
        { "The configuration file is not valid JSON: 'x' is an invalid start of a value.", "配置文件不是有效的 JSON：'x' is an invalid start of a value." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refusal_reads_in_chinese(string message, string chinese)
    {
        var words = Localizers.InCulture("zh-CN", () => L.ImportProblem(T, message));

        Assert.NotEqual(message, words);
        Assert.StartsWith(chinese, words);
    }

    [Fact]
    public void In_english_a_refusal_reads_as_the_rules_wrote_it()
    {
        var message = Refusal(s => s["sources"]![0]!["name"] = new string('x', 101));

        Assert.Equal(message, Localizers.InCulture("en", () => L.ImportProblem(T, message)));
    }
}
