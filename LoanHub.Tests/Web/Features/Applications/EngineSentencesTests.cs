using System.Text.RegularExpressions;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Localization;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Intake;
using Microsoft.Extensions.Localization;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>
/// Every sentence the engine writes into a decision record reads in Chinese on a Chinese page. The sentences come from
/// the engine itself, so a reworded engine sentence that the console no longer recognises fails here.
/// </summary>
public partial class EngineSentencesTests
{
    private static readonly IStringLocalizer<ApplicationsStrings> Words = Localizers.For<ApplicationsStrings>();

    public static TheoryData<string> Sentences() => [.. Written().Distinct()];

    /// <summary>What the engine writes when every rule it has fires once.</summary>
    private static IEnumerable<string> Written()
    {
        var everything = Product("GOLD", lender: "ZSB", dailyCap: 1, monthlyBudget: 10m, productActive: false, lenderActive: false,
            criteria: Criteria(maxAmount: 1_000m, maxTerm: 6, maxAge: 25, minScore: 900, minIncome: 50_000m, provinces: ["11"],
                employment: [Employment.Salaried], maxTier: RiskTier.A, purposes: [LoanPurpose.Education, LoanPurpose.CarPurchase]));
        var applicant = Applicant(employment: Employment.SelfEmployed, purpose: LoanPurpose.Medical, provinceCode: "32");
        foreach (var reason in Eligibility.Check(applicant, 600, RiskTier.D, everything, new ProductUsage(1, 5m), Today).Reasons)
            yield return reason.Detail;

        var a = Product("A", lender: "ZSB", weight: 60, priority: 1);
        var b = Product("B", lender: "PAF", weight: 40, priority: 2);
        var idle = Product("C", lender: "JDF", weight: 0);
        yield return Allocators.Weighted.Allocate([], new WeightedRoundRobinState()).HowDrawn;
        var none = Allocators.Weighted.Allocate([Candidate(idle)], new WeightedRoundRobinState());
        yield return none.HowDrawn;
        yield return none.Candidates.Single().Note!;
        yield return Allocators.Priority.Allocate([Candidate(a), Candidate(b)], new WeightedRoundRobinState()).Candidates.Single(c => c.Note is not null).Note!;
        yield return Allocators.Auction.Allocate([Candidate(a, 30m), Candidate(b, 20m)], new WeightedRoundRobinState()).HowDrawn;
        yield return Allocators.Auction.Allocate([Candidate(a, 30m)], new WeightedRoundRobinState()).HowDrawn;
        yield return AuctionAllocator.HowPlaced(a, 42.5m, [new AuctionBid(a, 42.5m), new AuctionBid(b, 31m)]);

        var index = new FraudIndex(FraudPolicy.Default with { IpVelocityMinApplications = 2, RingMinIdentities = 2, DeviceSharedMinIdentities = 2, PhoneSharedMinIdentities = 2 });
        var first = Fingerprint("id-1", phone: "ph", device: "dev", ip: "ip", at: Now);
        index.Add(first);
        index.MarkRouted("id-1", first.ApplicationId, Now);
        index.Add(Fingerprint("id-2", phone: "ph", device: "dev", ip: "ip", at: Now.AddMinutes(1)));
        foreach (var signal in index.CheckHistory(Fingerprint("id-1", phone: "ph", device: "dev", ip: "ip", at: Now.AddMinutes(2))).Signals)
            yield return signal.Detail;
        foreach (var signal in ApplicantChecks.Run(Applicant(birthDate: Today.AddYears(-17), monthlyIncome: 1_000m, requestedAmount: 40_000m), Today, FraudPolicy.Default))
            yield return signal.Detail;
        yield return EngineHost.BeingDelivered.Detail;

        var blocked = Fingerprint("id-9", phone: "ph-9", at: Now);
        yield return new Blocklist([new BlockedKey(Guid.NewGuid(), LinkKind.Phone, "ph-9", Now.AddDays(3))]).Check(blocked, FraudPolicy.Default).Signal!.Detail;
        yield return new Blocklist([new BlockedKey(Guid.NewGuid(), LinkKind.NationalId, "id-9", Now.AddDays(3)), new BlockedKey(Guid.NewGuid(), LinkKind.Phone, "ph-9", Now.AddDays(5))])
            .Check(blocked, FraudPolicy.Default).Signal!.Detail;
    }

    [Fact]
    public void The_engine_writes_every_shape_the_console_knows()
    {
        var written = Written().ToList();
        var unwritten = EngineSentences.Keys
            .Where(key => !written.Any(sentence => Shape(key).IsMatch(sentence)));
        Assert.Empty(unwritten);
    }

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Each_engine_sentence_reads_in_chinese_without_english_words(string sentence)
    {
        var chinese = Localizers.InCulture("zh-CN", () => EngineSentences.Words(Words, sentence));

        Assert.NotEqual(sentence, chinese);
        var left = GuidText().Replace(chinese, "");
        Assert.DoesNotMatch(EnglishWord(), left);
    }

    [Fact]
    public void Every_shape_has_chinese_with_the_same_placeholders()
    {
        foreach (var key in EngineSentences.Keys)
        {
            var chinese = Localizers.InCulture("zh-CN", () => Words[key]);
            Assert.False(chinese.ResourceNotFound, key);
            Assert.Equal(Placeholders(key), Placeholders(chinese.Value));
        }
    }

    [Fact]
    public void In_english_money_reads_in_yuan_codes_read_as_words_and_the_rest_as_the_engine_wrote_it()
    {
        string English(string stored) => Localizers.InCulture("en", () => EngineSentences.Words(Words, stored));

        Assert.Equal("Amount ¥48,000.00 is outside ¥500.00–¥30,000.00.", English("Amount 48,000.00 is outside 500.00–30,000.00."));
        Assert.Equal("Employment Self-employed is not accepted.", English("Employment SelfEmployed is not accepted."));
        Assert.Equal("Province Jiangsu is not served.", English("Province 32 is not served."));
        Assert.Equal("The same national ID was routed on 2025-06-15 10:00 (within 30 days).",
            English("The same national ID was routed on 2025-06-15 02:00 +00:00 (within 30 days)."));
        Assert.Equal("The applicant's national ID and phone are on the blocklist until 2025-06-20.",
            English("The applicant's national ID and phone are on the blocklist until 2025-06-20."));
        Assert.Equal("Something an older engine wrote.", English("Something an older engine wrote."));
        Assert.Equal("Employment Astronaut is not accepted.", English("Employment Astronaut is not accepted."));
    }

    [Fact]
    public void In_chinese_the_values_are_shown_as_the_console_shows_them()
    {
        string Chinese(string stored) => Localizers.InCulture("zh-CN", () => EngineSentences.Words(Words, stored));

        Assert.Equal("申请金额 ¥48,000.00 不在 ¥500.00–¥30,000.00 范围内。", Chinese("Amount 48,000.00 is outside 500.00–30,000.00."));
        Assert.Equal("不接受职业类型“个体经营”。", Chinese("Employment SelfEmployed is not accepted."));
        Assert.Equal("申请人的身份证号和手机号在黑名单中，至 2025-06-20。", Chinese("The applicant's national ID and phone are on the blocklist until 2025-06-20."));
        Assert.Equal("30 天内有 3 个身份证号使用过此设备。", Chinese("3 national IDs used this device within 30 days."));
    }

    private static Regex Shape(string key) =>
        new("^" + Regex.Replace(Regex.Escape(key), @"\\\{\d}", ".+?") + "$");

    private static HashSet<string> Placeholders(string text) => [.. Regex.Matches(text, @"\{\d\}").Select(m => m.Value)];

    /// <summary>Three or more lower-case letters: an English word (codes, labels and "IP" are upper case).</summary>
    [GeneratedRegex("[a-z]{3,}")]
    private static partial Regex EnglishWord();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidText();
}
