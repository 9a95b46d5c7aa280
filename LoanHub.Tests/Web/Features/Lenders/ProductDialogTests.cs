using Bunit;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LoanHub.Tests.Web.Features.Lenders;

public class ProductDialogTests : ComponentTestContext
{
    private readonly List<ProductForm> saved = [];
    private CatalogResult answer = CatalogResult.Ok();

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(ProductForm form)
    {
        SignInAs("ops@test.local", Roles.OperationsManager);
        RenderPopoverProvider();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ProductDialog>("Product", new DialogParameters<ProductDialog>
        {
            { d => d.Form, form },
            { d => d.Save, f => { saved.Add(f); return Task.FromResult(answer); } },
        }));
        return provider;
    }

    private static ProductForm ExistingProduct() => new()
    {
        Id = ProductId.New(), LenderCode = "L1", Version = 3, Code = "L1-CASH", Name = "Cash loan",
        CommissionModel = CommissionModel.CPL, CommissionAmount = 30m,
    };

    private static Task ClickSaveAsync(IRenderedComponent<MudDialogProvider> provider, string text = "Save product") =>
        provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == text).Click());

    [Fact]
    public async Task An_apr_above_36_percent_is_shown_on_its_field_and_nothing_is_saved()
    {
        var form = ExistingProduct();
        form.AprMin = 0.12m;
        form.AprMax = 0.48m;
        var provider = await OpenAsync(form);

        Assert.Contains("The highest APR may be at most 0.36 (36 %, the legal ceiling for lending in China).", provider.Markup);
        await ClickSaveAsync(provider);

        provider.WaitForAssertion(() => Assert.Contains("Correct the fields marked in red.", provider.Markup));
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Purposes_and_an_apr_range_are_saved_with_the_product()
    {
        var form = ExistingProduct();
        form.Purposes = [LoanPurpose.CarPurchase];
        form.AprMin = 0.04m;
        form.AprMax = 0.10m;
        var provider = await OpenAsync(form);

        await ClickSaveAsync(provider);

        provider.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal([LoanPurpose.CarPurchase], saved[0].ToDomain().Criteria.Purposes);
        Assert.Equal("4–10 %", saved[0].Apr()?.ToString());
    }

    [Fact]
    public async Task Minimum_above_maximum_is_shown_on_the_field_and_nothing_is_saved()
    {
        var form = ExistingProduct();
        form.MinAmount = 80_000m;
        form.MaxAmount = 50_000m;
        var provider = await OpenAsync(form);

        Assert.Contains("The maximum amount must be at least the minimum.", provider.Markup);
        await ClickSaveAsync(provider);

        provider.WaitForAssertion(() => Assert.Contains("Correct the fields marked in red.", provider.Markup));
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Range_typed_the_wrong_way_round_marks_the_field_after_typing_into_it()
    {
        var provider = await OpenAsync(ExistingProduct());

        await provider.InvokeAsync(() => Field(provider, "Minimum amount (¥)").Input("50000"));
        await provider.InvokeAsync(() => Field(provider, "Maximum amount (¥)").Input("100"));
        await provider.InvokeAsync(() => Field(provider, "Minimum age").Input("70"));
        await provider.InvokeAsync(() => Field(provider, "Maximum age").Input("18"));
        await ClickSaveAsync(provider);

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("mud-input-error", FieldRoot(provider, "Maximum amount (¥)").ClassName);
            Assert.Contains("mud-input-error", FieldRoot(provider, "Maximum age").ClassName);
            Assert.Contains("The maximum amount must be at least the minimum.", provider.Markup);
            Assert.Contains("The maximum age must be at least the minimum.", provider.Markup);
        });
        Assert.Empty(saved);
    }

    private static AngleSharp.Dom.IElement FieldRoot(IRenderedComponent<MudDialogProvider> provider, string label) =>
        provider.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .QuerySelector(".mud-input")!;

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<MudDialogProvider> provider, string label) =>
        provider.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label).QuerySelector("input")!;

    [Fact]
    public async Task Cps_rate_above_one_is_refused_and_a_valid_rate_is_saved()
    {
        var form = ExistingProduct();
        form.CommissionModel = CommissionModel.CPS;
        form.CommissionRate = 2m;
        var provider = await OpenAsync(form);

        Assert.Contains("The rate must be above 0 and at most 1", provider.Markup);
        await ClickSaveAsync(provider);
        Assert.Empty(saved);

        var rate = provider.FindComponents<MudNumericField<decimal?>>().Single(f => f.Instance.Label == "CPS rate");
        await provider.InvokeAsync(() => rate.Find("input").Input("0.02"));

        provider.WaitForAssertion(() => Assert.DoesNotContain("The rate must be above 0", provider.Markup));
        await ClickSaveAsync(provider);
        provider.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal(0.02m, saved[0].CommissionRate);
    }

    [Fact]
    public async Task Empty_code_and_name_of_a_new_product_are_flagged_only_after_trying_to_save()
    {
        var provider = await OpenAsync(new ProductForm { LenderCode = "L1", CommissionAmount = 30m });

        Assert.DoesNotContain("Enter a name of 1–100 characters.", provider.Markup);
        await ClickSaveAsync(provider, "Create product");

        provider.WaitForAssertion(() => Assert.Contains("Enter a name of 1–100 characters.", provider.Markup));
        Assert.Contains("Use 1–32 letters, digits", provider.Markup);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task A_new_product_shows_no_error_until_a_field_is_touched_or_saving_is_tried()
    {
        // A new product's commission is empty, which the form refuses; opening the dialog is not a mistake.
        var provider = await OpenAsync(new ProductForm { LenderCode = "L1" });

        Assert.Empty(provider.FindAll(".mud-input-error"));
        Assert.DoesNotContain("The commission must be above ¥0.", provider.Markup);

        await provider.InvokeAsync(() => Field(provider, "Commission amount (¥)").Blur());

        provider.WaitForAssertion(() => Assert.Contains("mud-input-error", FieldRoot(provider, "Commission amount (¥)").ClassName));
        Assert.Contains("The commission must be above ¥0.", provider.Markup);
        Assert.DoesNotContain("Enter a name of 1–100 characters.", provider.Markup);

        await provider.InvokeAsync(() => Field(provider, "Product name").Input("Cash"));
        await provider.InvokeAsync(() => Field(provider, "Product name").Input(""));

        provider.WaitForAssertion(() => Assert.Contains("Enter a name of 1–100 characters.", provider.Markup));
        Assert.DoesNotContain("Use 1–32 letters, digits", provider.Markup);
        await ClickSaveAsync(provider, "Create product");
        provider.WaitForAssertion(() => Assert.Contains("Use 1–32 letters, digits", provider.Markup));
        Assert.Empty(saved);
    }

    [Fact]
    public async Task In_chinese_the_dialog_names_types_employment_and_purposes_in_words_and_its_errors_are_chinese()
    {
        InLanguage("zh-CN");
        var form = ExistingProduct();
        form.Type = ProductType.CashLoan;
        form.Employment = [Employment.SelfEmployed];
        form.Purposes = [LoanPurpose.CarPurchase];
        form.Provinces = ["44"];
        form.MinAmount = 80_000m;
        var provider = await OpenAsync(form);

        var values = string.Join(" | ", provider.FindAll("input").Select(i => i.GetAttribute("value")));
        Assert.Contains("现金贷", values);
        Assert.Contains("个体经营", values);
        Assert.Contains("购车", values);
        Assert.Contains("44 广东", values);
        Assert.Contains("按线索计费 (CPL)", values);
        Assert.DoesNotContain("CashLoan", provider.Markup);
        Assert.DoesNotContain("SelfEmployed", provider.Markup);
        Assert.Contains("编辑产品 L1-CASH", provider.Markup);
        Assert.Contains("最低金额（¥）", provider.Markup);
        Assert.Contains("最高金额不能低于最低金额。", provider.Markup);

        await ClickSaveAsync(provider, "保存产品");
        provider.WaitForAssertion(() => Assert.Contains("请修改标红的字段。", provider.Markup));
    }

    [Fact]
    public async Task In_english_types_and_employment_read_as_words()
    {
        var form = ExistingProduct();
        form.Type = ProductType.CashLoan;
        form.Employment = [Employment.SelfEmployed];
        var provider = await OpenAsync(form);

        var values = string.Join(" | ", provider.FindAll("input").Select(i => i.GetAttribute("value")));
        Assert.Contains("Cash loan", values);
        Assert.Contains("Self-employed", values);
        Assert.DoesNotContain("CashLoan", provider.Markup);
    }

    [Fact]
    public async Task Conflict_from_the_server_is_shown_and_saving_again_is_blocked()
    {
        answer = CatalogResult.Conflict;
        var provider = await OpenAsync(ExistingProduct());

        await ClickSaveAsync(provider);

        provider.WaitForAssertion(() => Assert.Contains("changed by someone else since you opened it", provider.Find("[data-testid=product-conflict]").TextContent));
        Assert.True(provider.FindAll("button").Single(b => b.TextContent.Trim() == "Save product").HasAttribute("disabled"));
        Assert.Single(saved);
    }

    [Fact]
    public async Task Bid_product_asks_for_a_minimum_bid_and_saves_a_bid_contract()
    {
        var form = ExistingProduct();
        form.CommissionModel = CommissionModel.Bid;
        form.CommissionAmount = 0m;
        var provider = await OpenAsync(form);
        Assert.Contains("Minimum bid (¥)", provider.Markup);

        await ClickSaveAsync(provider);
        Assert.Contains("The minimum bid must be above ¥0.", provider.Markup);
        Assert.Empty(saved);

        form.CommissionAmount = 12.5m;
        await ClickSaveAsync(provider);
        var contract = Assert.Single(saved).ToDomain().Commission;
        Assert.Equal((CommissionModel.Bid, 12.5m), (contract.Model, contract.MinPrice));
    }
}
