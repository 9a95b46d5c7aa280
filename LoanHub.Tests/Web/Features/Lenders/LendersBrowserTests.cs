using LoanHub.Tests.Web.Browser;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Features.Lenders;

[Collection(BrowserCollection.Name)]
public class LendersBrowserTests(BrowserHost host)
{
    [Fact]
    public async Task Operations_manager_edits_a_products_weight_and_sees_it_in_the_list()
    {
        int originalWeight;
        await using (var db = host.CreateDbContext())
        {
            originalWeight = (await db.Products.SingleAsync(p => p.Code == "L2-MICRO")).Limits.Weight;
        }

        var page = await host.SignInAsNewUserAsync(Roles.OperationsManager, "Olga Ops");
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Lenders & products" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lenders & products", Level = 1 })).ToBeVisibleAsync();
            var row = page.GetByTestId("product-L2-MICRO");
            await Assertions.Expect(row.GetByTestId("weight")).ToHaveTextAsync(originalWeight.ToString());

            await row.GetByRole(AriaRole.Button, new() { Name = "Edit product L2-MICRO" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            var weight = dialog.GetByLabel("Weight");
            await weight.FillAsync("10001");
            await Assertions.Expect(dialog).ToContainTextAsync("The weight must be between 0 and 10,000.");
            await weight.FillAsync("35");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save product" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            await Assertions.Expect(row.GetByTestId("weight")).ToHaveTextAsync("35");
            await Assertions.Expect(page.GetByText("Product L2-MICRO saved.")).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
            await RestoreWeightAsync(originalWeight);
        }
    }

    /// <summary>The browser tests share one store; put the seeded weight back for the others.</summary>
    private async Task RestoreWeightAsync(int weight)
    {
        await using var db = host.CreateDbContext();
        var product = await db.Products.SingleAsync(p => p.Code == "L2-MICRO");
        var limits = product.Limits;
        product.Update(product.Name, product.Type, product.Criteria,
            new LoanHub.Core.Domain.ProductLimits(limits.DailyCap, limits.MonthlyBudget, weight, limits.Priority), product.Commission);
        await db.SaveChangesAsync();
        host.Services.GetRequiredService<LoanHub.Web.Features.Intake.EngineHost>().CatalogChanged();
    }
}
