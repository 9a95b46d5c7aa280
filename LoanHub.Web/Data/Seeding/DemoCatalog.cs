using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Demo;

namespace LoanHub.Web.Data.Seeding;

/// <summary>
/// The demo lenders, products and sources, named as a Chinese platform's partners are, as a configuration document so they go through the same
/// importer as a real seed file. The API keys are public demo keys, printed in the README.
/// </summary>
internal static class DemoCatalog
{
    public const string AdsKey = "demo-source-ADS-key-0001";
    public const string AppKey = "demo-source-APP-key-0002";
    public const string SocialKey = "demo-source-SOC-key-0003";

    public static string LenderKey(string lenderCode) => $"demo-lender-{lenderCode}-key-0001";

    private static readonly Employment[] Employed = [Employment.Salaried, Employment.SelfEmployed, Employment.BusinessOwner];

    // What each product lends for (empty: anything) and its annual rate range: a car loan takes car purchases, an
    // education loan tuition; cash loans take any purpose at the higher rates; XYF-FAST reaches past the 24 % line.
    // Declared before the catalog, which reads it as it is built.
    private static readonly Dictionary<string, (LoanPurpose[] Purposes, AprDocument Apr)> Terms = new()
    {
        ["ZSB-CASH"] = ([], new(0.10m, 0.24m)),
        ["ZSB-INST"] = ([LoanPurpose.Consumption, LoanPurpose.Renovation, LoanPurpose.Education, LoanPurpose.Travel, LoanPurpose.Medical], new(0.08m, 0.18m)),
        ["PAF-BIZ"] = ([LoanPurpose.Business], new(0.06m, 0.15m)),
        ["PAF-CASH"] = ([], new(0.12m, 0.24m)),
        ["MYB-MICRO"] = ([], new(0.14m, 0.24m)),
        ["MYB-SME"] = ([LoanPurpose.Business], new(0.07m, 0.18m)),
        ["MYB-FARM"] = ([LoanPurpose.Business], new(0.06m, 0.14m)),
        ["JDF-BT"] = ([LoanPurpose.Consumption, LoanPurpose.Travel, LoanPurpose.Education], new(0.07m, 0.24m)),
        ["JDF-GOLD"] = ([], new(0.06m, 0.15m)),
        ["JDF-CARD"] = ([LoanPurpose.Consumption, LoanPurpose.Travel], new(0.12m, 0.18m)),
        ["WZB-WLD"] = ([], new(0.07m, 0.24m)),
        ["WZB-CAR"] = ([LoanPurpose.CarPurchase], new(0.04m, 0.10m)),
        ["NBC-CASH"] = ([], new(0.09m, 0.20m)),
        ["NBC-RENO"] = ([LoanPurpose.Renovation], new(0.05m, 0.12m)),
        ["NBC-EDU"] = ([LoanPurpose.Education], new(0.05m, 0.10m)),
        ["HXC-HOME"] = ([LoanPurpose.Consumption, LoanPurpose.Renovation], new(0.10m, 0.24m)),
        ["HXC-CASH"] = ([], new(0.15m, 0.24m)),
        ["XYF-FAST"] = ([], new(0.18m, 0.36m)),
        ["XYF-PLUS"] = ([], new(0.12m, 0.24m)),
        ["XYF-TRAVEL"] = ([LoanPurpose.Travel], new(0.10m, 0.20m)),
    };

    /// <summary>The demo catalog; <paramref name="pushLenders"/> gives ZSB, PAF, JDF and XYF their simulated endpoints (<see cref="DemoLenders"/>).</summary>
    public static ConfigurationDocument Document(bool pushLenders) => pushLenders
        ? Catalog with { Lenders = [.. Catalog.Lenders.Select(l => l with { Delivery = DemoLenders.DeliveryOf(l.Code) })] }
        : Catalog;

    private static ConfigurationDocument Catalog { get; } = new()
    {
        Sources =
        [
            new("ADS", "信息流广告", AdsKey),
            new("APP", "合作 App", AppKey),
            new("SOC", "社交媒体", SocialKey),
        ],
        Lenders =
        [
            Lender("ZSB", "招商消费金融",
                Product("ZSB-CASH", "招易贷", ProductType.CashLoan, 1_000, 50_000, 3, 24, 22, 55, 560, 4_000, [], Employed, RiskTier.C, 120, 60_000m, 40, 1, Cps(0.025m)),
                Product("ZSB-INST", "分期贷", ProductType.Installment, 5_000, 200_000, 6, 36, 25, 55, 600, 8_000, ["11", "31", "44", "33", "32"], [Employment.Salaried], RiskTier.B, 60, 80_000m, 30, 1, Cps(0.02m))),
            Lender("PAF", "平安普惠",
                Product("PAF-BIZ", "小微经营贷", ProductType.BusinessLoan, 20_000, 1_000_000, 12, 60, 25, 60, 600, 15_000, [], [Employment.BusinessOwner, Employment.SelfEmployed], RiskTier.B, 30, 90_000m, 25, 1, Cps(0.015m)),
                Product("PAF-CASH", "个人信用贷", ProductType.CashLoan, 2_000, 100_000, 6, 36, 22, 55, 580, 5_000, [], Employed, RiskTier.C, 100, null, 35, 2, Cpa(180m))),
            Lender("MYB", "网商银行",
                Product("MYB-MICRO", "网商贷", ProductType.CashLoan, 500, 20_000, 1, 12, 18, 60, 0, 2_000, [], [], RiskTier.D, 200, 30_000m, 50, 2, Cpl(28m)),
                Product("MYB-SME", "小微流动资金贷", ProductType.BusinessLoan, 10_000, 500_000, 6, 24, 23, 60, 580, 10_000, [], [Employment.BusinessOwner], RiskTier.C, 40, null, 20, 1, Cps(0.018m)),
                Product("MYB-FARM", "乡村振兴贷", ProductType.BusinessLoan, 5_000, 300_000, 6, 36, 22, 60, 540, 3_000, ["13", "37", "41", "42", "43", "51"], [Employment.SelfEmployed, Employment.BusinessOwner], RiskTier.C, 40, 20_000m, 15, 2, Cpa(160m))),
            Lender("JDF", "京东金融",
                Product("JDF-BT", "白条分期", ProductType.Installment, 500, 30_000, 3, 24, 18, 55, 540, 3_000, [], [], RiskTier.C, 150, 40_000m, 45, 2, Cpa(120m)),
                Product("JDF-GOLD", "金条", ProductType.CashLoan, 5_000, 200_000, 6, 36, 25, 50, 640, 12_000, ["11", "31", "44"], [Employment.Salaried], RiskTier.A, 40, null, 30, 1, Cps(0.022m)),
                Product("JDF-CARD", "联名信用卡", ProductType.CreditCard, 500, 50_000, 1, 12, 20, 60, 580, 4_000, [], Employed, RiskTier.C, 80, 25_000m, 25, 3, Cpl(45m))),
            Lender("WZB", "微众银行",
                Product("WZB-WLD", "微粒贷", ProductType.CashLoan, 500, 200_000, 1, 20, 18, 60, 560, 3_000, [], [], RiskTier.C, 250, 90_000m, 60, 1, Cpa(150m)),
                Product("WZB-CAR", "购车贷", ProductType.CarLoan, 30_000, 500_000, 12, 60, 22, 60, 600, 8_000, [], Employed, RiskTier.B, 20, null, 20, 2, Cps(0.012m))),
            Lender("NBC", "宁银消费金融",
                Product("NBC-CASH", "消费贷", ProductType.CashLoan, 3_000, 100_000, 6, 36, 22, 55, 580, 5_000, ["33", "32", "31", "35"], Employed, RiskTier.C, 60, 40_000m, 30, 2, Cps(0.02m)),
                Product("NBC-RENO", "装修贷", ProductType.Installment, 20_000, 300_000, 12, 60, 25, 58, 600, 8_000, ["33", "32", "31"], Employed, RiskTier.B, 20, null, 15, 1, Cps(0.016m)),
                Product("NBC-EDU", "教育分期", ProductType.Installment, 5_000, 80_000, 6, 48, 18, 45, 540, 0, [], [], RiskTier.C, 30, 15_000m, 10, 3, Cpl(35m))),
            Lender("HXC", "海尔消费金融",
                Product("HXC-HOME", "家电分期", ProductType.Installment, 1_000, 50_000, 3, 24, 20, 60, 520, 2_500, [], [], RiskTier.D, 150, 20_000m, 40, 3, Cpl(25m)),
                Product("HXC-CASH", "够花", ProductType.CashLoan, 1_000, 30_000, 3, 12, 22, 55, 560, 3_500, [], Employed, RiskTier.C, 100, null, 30, 2, Cpa(100m))),
            Lender("XYF", "小赢科技",
                Product("XYF-FAST", "极速贷", ProductType.CashLoan, 500, 60_000, 1, 24, 18, 55, 500, 1_500, [], [], RiskTier.D, 300, 25_000m, 55, 3, Cpl(18m)),
                Product("XYF-PLUS", "小赢卡贷", ProductType.CashLoan, 5_000, 60_000, 6, 24, 22, 50, 600, 6_000, [], Employed, RiskTier.B, 60, 35_000m, 25, 2, Cps(0.03m)),
                Product("XYF-TRAVEL", "旅游分期", ProductType.Installment, 2_000, 40_000, 3, 18, 20, 55, 560, 4_000, [], Employed, RiskTier.C, 40, null, 15, 3, Cpa(90m))),
        ],
        Routing = new RoutingDocument(RoutingStrategy.Weighted),
    };

    private static LenderDocument Lender(string code, string name, params ProductDocument[] products) =>
        new(code, name, LenderKey(code), [.. products.Select(p => p with { Purposes = [.. Terms[p.Code].Purposes], Apr = Terms[p.Code].Apr })]);


    private static ProductDocument Product(string code, string name, ProductType type, decimal minAmount, decimal maxAmount,
        int minTerm, int maxTerm, int minAge, int maxAge, int minScore, decimal minIncome, string[] provinces, Employment[] employment,
        RiskTier maxTier, int? dailyCap, decimal? monthlyBudget, int weight, int priority, CommissionDocument commission) =>
        new(code, name, type, minAmount, maxAmount, minTerm, maxTerm, minAge, maxAge, minScore, minIncome,
            [.. provinces], [.. employment], maxTier, dailyCap, monthlyBudget, weight, priority, commission);

    private static CommissionDocument Cpl(decimal amount) => new(CommissionModel.CPL, amount, null);
    private static CommissionDocument Cpa(decimal amount) => new(CommissionModel.CPA, amount, null);
    private static CommissionDocument Cps(decimal rate) => new(CommissionModel.CPS, null, rate);
}
