using Bunit;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Features.Lenders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Tests.Web.Features.Lenders;

public class ProductTableTests : ComponentTestContext
{
    private static readonly LenderId Lender = LenderId.New();

    private static ProductRow Product(bool active = true) => new(ProductId.New(), Lender, "L1-CASH", "现金分期", ProductType.CashLoan,
        new EligibilityCriteria(1_000m, 50_000m, 3, 24, 22, 55, 600, 5_000m, ["44"], [Employment.SelfEmployed], RiskTier.C, [LoanPurpose.CarPurchase]),
        new ProductLimits(100, 20_000m, 10, 1), CommissionContract.PerLead(30m), active, 1, 12);

    private IRenderedComponent<ProductTable> RenderTable(params ProductRow[] products) => Render<ProductTable>(p => p
        .Add(t => t.Lender, new LenderRow(Lender, "L1", "招商银行", true, 1, products))
        .Add(t => t.Products, products)
        .Add(t => t.CanEdit, true));

    [Fact]
    public void In_chinese_a_product_reads_as_words_type_criteria_and_commission_included()
    {
        InLanguage("zh-CN");
        var table = RenderTable(Product(active: false));

        var row = table.Find("[data-testid=product-L1-CASH]").TextContent;
        Assert.Contains("现金贷 · 年龄 22–55 · 风险等级 ≤ C · 评分 ≥ 600 · 月收入 ≥ ¥5,000.00 · 广东 · 个体经营 · 购车", row);
        Assert.Contains("3–24 个月", row);
        Assert.Contains("已暂停", row);
        Assert.Contains("CPL ¥30.00", row);
        Assert.Contains("¥20,000.00", row);
        Assert.Equal(["产品", "金额（¥）· 期限", "今日 / 日上限", "月预算", "权重", "优先级", "佣金", "年化利率", "操作"],
            table.FindAll("th").Select(th => th.TextContent.Trim()));
        Assert.Equal("恢复产品 L1-CASH", table.FindAll("button")[1].GetAttribute("aria-label"));
    }

    [Fact]
    public void In_english_the_type_and_employment_are_words_not_enum_names()
    {
        var table = RenderTable(Product());

        var row = table.Find("[data-testid=product-L1-CASH]").TextContent;
        Assert.Contains("Cash loan · age 22–55 · tier ≤ C · score ≥ 600 · income ≥ ¥5,000.00 · Guangdong · Self-employed · Car purchase", row);
        Assert.DoesNotContain("CashLoan", row);
        Assert.DoesNotContain("SelfEmployed", row);
    }

    [Fact]
    public void In_chinese_a_lender_without_products_says_so()
    {
        InLanguage("zh-CN");
        var table = RenderTable();

        Assert.Contains("L1 还没有产品。", table.Markup);
    }
}

public class LenderChipTests : ComponentTestContext
{
    [Fact]
    public void In_chinese_status_and_delivery_chips_are_chinese()
    {
        InLanguage("zh-CN");

        Assert.Contains("启用中", Render<StatusChip>(p => p.Add(c => c.Active, true)).Markup);
        Assert.Contains("已暂停", Render<StatusChip>(p => p.Add(c => c.Active, false)).Markup);
        Assert.Contains("已自动暂停", Render<StatusChip>(p => p.Add(c => c.AutoPausedReason, "5 failures")).Markup);
        Assert.Contains("推送 · lender.example", Render<DeliveryChip>(p => p.Add(c => c.PostHost, "lender.example")).Find("[data-testid=delivery-chip]").TextContent);
        Assert.Contains("拉取", Render<DeliveryChip>().Find("[data-testid=delivery-chip]").TextContent);
    }

    [Fact]
    public void In_chinese_a_test_pre_checks_answer_is_chinese()
    {
        InLanguage("zh-CN");
        var result = new TestPrecheckResult(null, "https://lender.example/precheck",
            new LenderAnswer(AnswerKind.Refused, "existing customer", 12.5m, null, null, null, 240, null));

        var view = Render<TestPrecheckResultView>(p => p.Add(v => v.Result, result));

        Assert.Equal("已拒绝", view.Find("[data-testid=test-kind]").TextContent.Trim());
        Assert.Equal("无 HTTP 响应", view.Find("[data-testid=test-status]").TextContent.Trim());
        Assert.Equal("出价 ¥12.50", view.Find("[data-testid=test-price]").TextContent.Trim());
        Assert.Equal("原因：existing customer", view.Find("[data-testid=test-reason]").TextContent.Trim());
        Assert.Equal("（空响应）", view.Find("[data-testid=test-body]").TextContent.Trim());
        Assert.Contains("来自 https://lender.example/precheck 的响应", view.Markup);
    }
}

public class PartnerDialogTests : ComponentTestContext
{
    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(Func<string, string, Task<CatalogResult>> create)
    {
        RenderPopoverProvider();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<PartnerDialog>("", new DialogParameters<PartnerDialog>
        {
            { d => d.Kind, PartnerKind.Source }, { d => d.Example, "WECHAT" }, { d => d.KeyUse, "渠道推送进件" }, { d => d.Create, create },
        }));
        return provider;
    }

    [Fact]
    public async Task A_new_partners_empty_fields_are_flagged_only_after_typing_or_trying_to_create_it()
    {
        var provider = await OpenAsync((_, _) => Task.FromResult(CatalogResult.Ok("key")));

        // The dialog takes the focus from the code field it autofocused: leaving it empty is not a mistake yet.
        await provider.InvokeAsync(() => provider.Find("#new-source-code").Blur());
        Assert.Empty(provider.FindAll(".mud-input-error"));
        await provider.InvokeAsync(() => provider.Find("#new-source-code").Change("bad code!"));
        provider.WaitForAssertion(() => Assert.Contains("Use 1–32 letters, digits, '-' or '_'.", provider.Markup));
        await provider.InvokeAsync(() => provider.Find("#new-source-code").Change(""));
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "Create source").Click());

        provider.WaitForAssertion(() => Assert.Contains("Enter a code.", provider.Markup));
        Assert.Contains("Enter a name.", provider.Markup);
    }

    [Fact]
    public async Task In_chinese_creating_a_source_asks_for_a_source_code_and_refuses_a_duplicate_in_chinese()
    {
        InLanguage("zh-CN");
        var provider = await OpenAsync((_, _) => Task.FromResult(CatalogResult.Invalid("A source with the code {0} already exists.", "ADS")));

        Assert.Contains("新建渠道", provider.Markup);
        Assert.Contains("渠道编码", provider.Markup);
        Assert.Contains("创建后将生成用于渠道推送进件的 API 密钥", provider.Markup);
        await provider.InvokeAsync(() => provider.Find("#new-source-code").Change("ADS"));
        await provider.InvokeAsync(() => provider.Find("#new-source-name").Change("广告"));
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "创建渠道").Click());

        provider.WaitForAssertion(() => Assert.Contains("编码为 ADS 的渠道已存在。", provider.Markup));
    }
}

public class PartnerActionsTests : ComponentTestContext
{
    [Fact]
    public async Task In_chinese_a_new_key_is_shown_once_with_whom_to_give_it_to()
    {
        InLanguage("zh-CN");
        RenderPopoverProvider();
        var provider = Render<MudDialogProvider>();
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ApiKeyDialog>("", new DialogParameters<ApiKeyDialog>
        {
            { d => d.OwnerCode, "ZSB" }, { d => d.Kind, PartnerKind.Lender }, { d => d.ApiKey, "lh_key" },
        }));

        Assert.Contains("ZSB 的 API 密钥", provider.Markup);
        Assert.Contains("请立即复制此密钥并交给该机构", provider.Markup);
        Assert.Equal("我已复制密钥", provider.Find(".mud-dialog-actions button").TextContent.Trim());
    }

    [Fact]
    public async Task In_chinese_pausing_a_source_asks_in_chinese_cancel_included_and_reports_it_paused()
    {
        InLanguage("zh-CN");
        RenderPopoverProvider();
        var provider = Render<MudDialogProvider>();
        var actions = new PartnerActions(Services.GetRequiredService<IDialogService>(), Services.GetRequiredService<ISnackbar>(),
            Services.GetRequiredService<IStringLocalizer<LendersStrings>>(), PartnerKind.Source, _ => { }, () => Task.CompletedTask);
        bool? active = null;

        var toggling = provider.InvokeAsync(() => actions.ToggleAsync("ADS", active: true, "ADS 推送的进件将被拒绝。", "",
            value => { active = value; return Task.FromResult(CatalogResult.Ok()); }));

        provider.WaitForAssertion(() => Assert.Contains("暂停渠道", provider.Markup));
        Assert.Contains("ADS 推送的进件将被拒绝。", provider.Markup);
        Assert.Equal(["取消", "暂停"], provider.FindAll(".mud-dialog-actions button").Select(b => b.TextContent.Trim()));
        await provider.InvokeAsync(() => provider.Find("[data-testid=confirm]").Click());
        await toggling;

        Assert.False(active);
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message == "ADS 已暂停。");
    }
}

/// <summary>The sentences the catalog's services, the product form and the domain write in English reach the console in Chinese.</summary>
public class LendersMessagesTests : ComponentTestContext
{
    private IStringLocalizer<LendersStrings> Chinese()
    {
        InLanguage("zh-CN");
        return Services.GetRequiredService<IStringLocalizer<LendersStrings>>();
    }

    /// <summary>A form breaking each rule <see cref="ProductForm.Errors"/> checks, every message once.</summary>
    /// <summary>Every message of the product form (a form breaking each rule it checks) and the catalog's fixed ones.</summary>
    public static TheoryData<string> Messages() =>
    [
        .. BrokenRules(),
        CatalogResult.Conflict.Message!, CatalogResult.Forbidden.Message!,
        CatalogResult.NotFound("product").Message!, CatalogResult.NotFound("lender").Message!, CatalogResult.NotFound("source").Message!,
        DeliveryChange.Invalid(new Dictionary<string, string>()).Message!,
    ];

    private static IReadOnlyList<string> BrokenRules()
    {
        ProductForm[] broken =
        [
            new() { Code = "bad code!", MinAmount = 0m, MaxAmount = 10.001m, MinTermMonths = 0, MaxTermMonths = 400, MinAge = 10, MaxAge = 120, MinScore = 2_000,
                MinMonthlyIncome = -1m, AprMin = 0.1m, CommissionAmount = 0m },
            new() { MinAmount = 10.001m, MinMonthlyIncome = 0.001m, MaxTermMonths = 2, MinTermMonths = 3, MaxAge = 20, MinAge = 22, AprMax = 0.1m, CommissionAmount = 0.001m },
            new() { MaxAmount = 500m, AprMin = 0m, AprMax = 0.1m, CommissionModel = CommissionModel.CPS, CommissionRate = 2m },
            new() { AprMin = 0.2m, AprMax = 0.1m, CommissionModel = CommissionModel.Bid },
            new() { AprMin = 0.2m, AprMax = 0.5m },
        ];
        return [.. broken.SelectMany(f => f.Errors().Values).Distinct()];
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_written_in_english_for_the_console_has_chinese(string message) =>
        Assert.False(Chinese()[message].ResourceNotFound, message);

    [Fact]
    public void The_broken_rules_above_cover_every_rule_of_the_form()
    {
        // Eighteen rules of ProductForm and three of AprRange: a new rule needs a form that breaks it above.
        Assert.Equal(21, BrokenRules().Count);
    }

    [Fact]
    public void A_message_with_arguments_is_filled_in_after_translating()
    {
        var L = Chinese();

        Assert.Equal("编码为 L9-CASH 的产品已存在。", L.Said(CatalogResult.Invalid("A product with the code {0} already exists.", "L9-CASH")));
        Assert.Equal("在您打开之后已有其他人修改过，请重新加载查看对方的版本。", L.Said(CatalogResult.Conflict));
    }

    [Theory]
    [InlineData(0, 10, 3, 24, 22, 55)]
    [InlineData(10, 100, 0, 24, 22, 55)]
    [InlineData(10, 100, 3, 24, 10, 55)]
    public void A_range_the_domain_refuses_is_explained_in_chinese(decimal minAmount, decimal maxAmount, int minTerm, int maxTerm, int minAge, int maxAge)
    {
        var refused = Assert.Throws<DomainException>(() =>
            new EligibilityCriteria(minAmount, maxAmount, minTerm, maxTerm, minAge, maxAge, 0, 0m, [], [], RiskTier.C));

        Assert.False(Chinese()[refused.Message].ResourceNotFound, refused.Message);
    }
}
