using System.Reflection;
using Bunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Risk;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LoanHub.Tests.Web.Features.Risk;

/// <summary>
/// The risk policy's words that the resource guard cannot read from markup: what the service answers, what the engine says of a
/// threshold, the stages of a backtest; and the page and a backtest's results in Chinese, over the real service and store.
/// National IDs 915,000–915,099.
/// </summary>
public class RiskTextTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;

    public RiskTextTests(LoanHubHost host)
    {
        this.host = host;
        Services.AddSingleton(host.Services.GetRequiredService<RiskPolicyService>());
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IStringLocalizer<RiskStrings> Words(string language)
    {
        InLanguage(language);
        return Services.GetRequiredService<IStringLocalizer<RiskStrings>>();
    }

    private static bool IsChinese(string text) => text.Any(c => c >= '\u4E00' && c <= '\u9FFF');

    /// <summary>Every sentence the service answers with or reports as a stage; the page adds "Starting".</summary>
    public static TheoryData<string> ServiceWords() =>
    [
        .. typeof(RiskPolicyService).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string) && f.Name != nameof(RiskPolicyService.AuditArea))
            .Select(f => (string)f.GetRawConstantValue()!),
        "Starting",
    ];

    [Theory]
    [MemberData(nameof(ServiceWords))]
    public void Every_answer_and_stage_of_the_service_has_chinese_with_its_placeholders(string english)
    {
        var chinese = Words("zh-CN")[english];

        Assert.False(chinese.ResourceNotFound, english);
        Assert.True(IsChinese(chinese), english);
        Assert.Equal(System.Text.RegularExpressions.Regex.Matches(english, @"\{\d\}").Select(m => m.Value).Order(),
            System.Text.RegularExpressions.Regex.Matches(chinese, @"\{\d\}").Select(m => m.Value).Order());
    }

    [Fact]
    public void Every_problem_the_engine_finds_with_a_threshold_has_chinese()
    {
        var L = Words("zh-CN");
        var outOfRange = new RiskPolicy(
            new DecisionPolicy { RejectBelowScore = -1, ReviewBelowScore = 2_000, RejectFromTier = (RiskTier)99 },
            new FraudPolicy
            {
                DeviceSharedMinIdentities = 1, PhoneSharedMinIdentities = 1, IpVelocityMinApplications = 1, RingMinIdentities = 1,
                DuplicateLookback = TimeSpan.Zero, MaxAmountToMonthlyIncome = 0m, DeviceWindow = TimeSpan.Zero, IpWindow = TimeSpan.Zero, MinimumAge = 17,
            });
        var bandsCrossed = RiskPolicy.Default with { Decision = DecisionPolicy.Default with { RejectBelowScore = 560, ReviewBelowScore = 540 } };
        var problems = outOfRange.Problems().Concat(bandsCrossed.Problems()).ToList();

        Assert.Equal(12, problems.Select(p => p.Key).Distinct().Count());
        Assert.Equal(11, problems.Select(p => p.Value).Distinct().Count());
        Assert.All(problems.Select(p => p.Value), problem => Assert.True(IsChinese(L.Said(problem)), problem));
    }

    [Fact]
    public void Every_threshold_a_change_names_reads_in_chinese_words_and_all()
    {
        var L = Words("zh-CN");
        var changed = new RiskPolicy(
            new DecisionPolicy { RejectBelowScore = 470, ReviewBelowScore = 560, RejectFromTier = RiskTier.D },
            new FraudPolicy
            {
                DeviceSharedMinIdentities = 4, PhoneSharedMinIdentities = 3, IpVelocityMinApplications = 25, RingMinIdentities = 5,
                DuplicateLookback = TimeSpan.FromDays(45), MaxAmountToMonthlyIncome = 20m, DeviceWindow = TimeSpan.FromDays(3),
                IpWindow = TimeSpan.FromHours(2), MinimumAge = 20, BlocklistedToReview = true,
            });

        var changes = changed.Differences(RiskPolicy.Default);

        Assert.Equal(13, changes.Count);
        Assert.All(changes, change => Assert.True(IsChinese(L[change.Threshold]) && !L[change.Threshold].ResourceNotFound, change.Threshold));
        Assert.Contains("黑名单进件：拒绝 → 审核", changes.Select(L.Change));
        Assert.Contains("低于此分审核：540 → 560", changes.Select(L.Change));
        Assert.Contains("Review below score: 540 → 560", changes.Select(Words("en").Change));
    }

    [Fact]
    public void A_refusal_reads_in_the_readers_language_with_its_figures()
    {
        var refused = new SaveResult(false, RiskPolicyService.SavedSinceBacktest) { Arguments = ["ops@test.local", 7, 6] };

        Assert.Equal("ops@test.local saved version 7 after your backtest ran on version 6. Reload to see it, then backtest your change again.",
            Words("en").Said(refused));
        Assert.Equal("你基于版本 6 回测后，ops@test.local 保存了版本 7。请刷新查看，然后重新回测你的修改。", Words("zh-CN").Said(refused));
    }

    [Fact]
    public void In_chinese_the_page_names_its_thresholds_and_the_seeded_version_in_chinese()
    {
        InLanguage("zh-CN");
        SignInAs("risk.reader@test.local", Roles.Analyst);
        RenderPopoverProvider();

        var page = Render<RiskPolicyPage>();
        page.WaitForElement("[data-testid=versions]");

        Assert.Equal("风控策略", page.Find("h1").TextContent.Trim());
        Assert.Contains("低于此分审核", page.Markup);
        Assert.Contains("初始阈值，取自配置文件", page.Find("[data-testid=versions]").TextContent);
        Assert.Contains("系统", page.Find("[data-testid=versions]").TextContent);
        Assert.DoesNotContain("Initial thresholds", page.Markup);
        Assert.Contains("7 天内同一设备上的身份证数达到此数 → 审核", page.Markup);
    }

    [Fact]
    public async Task In_chinese_a_backtest_names_its_decisions_and_figures_in_chinese()
    {
        for (var n = 915_000; n < 915_003; n++)
            (await Intake.IntakeClient.PostAsync(host.CreateClient(), Intake.IntakeClient.ValidBody(nationalId: Intake.IntakeClient.NationalId(n)))).EnsureSuccessStatusCode();
        var risk = host.Services.GetRequiredService<RiskPolicyService>();
        var active = (await risk.LoadAsync()).Active;
        var run = await risk.BacktestAsync(active with { Decision = active.Decision with { ReviewBelowScore = 999 } }, 7, null, CancellationToken.None);
        InLanguage("zh-CN");

        var results = Render<BacktestResults>(p => p.Add(r => r.Run, run).Add(r => r.Stale, true));

        var matrix = results.Find("[data-testid=backtest-matrix]");
        Assert.Equal(["实际决策 ↓ / 按新阈值 →", "分发", "审核", "拒绝", "重复进件", "合计"], matrix.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.Contains("本次回测后阈值已修改", results.Find("[data-testid=backtest-stale]").TextContent);
        Assert.Matches(@"^已重放最近 7 天的 [\d,]+ 笔进件，其中 [\d,]+ 笔决策不同。 ", results.Find("[data-testid=backtest-summary]").TextContent);
        Assert.Equal(["渠道", "进件数", "分发", "审核", "拒绝", "决策变化"],
            results.Find("[data-testid=backtest-by-source]").QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.Contains("新增分发", results.Find("[data-testid=newly-routed]").TextContent);
        var chart = results.FindComponent<MudBlazor.MudChart<double>>().Instance;
        Assert.Equal(["分发", "审核", "拒绝", "重复进件"], chart.ChartLabels);
        Assert.Equal(["实际决策", "按新阈值"], chart.ChartSeries.Select(s => s.Name));
        Assert.DoesNotMatch("Route|Review|Reject|Duplicate|Total|Applicants|Moved|nobody|As decided", results.Find("[data-testid=backtest-results]").TextContent);
    }
}
