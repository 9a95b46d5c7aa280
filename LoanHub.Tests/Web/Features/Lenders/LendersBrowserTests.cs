using LoanHub.Tests.Web.Browser;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Features.Lenders;

[Collection(BrowserCollection.Name)]
public class LendersBrowserTests(BrowserHost host)
{
    [Fact]
    public async Task Operations_manager_sees_a_products_routing_in_its_dialog_and_changes_it_on_the_routing_page()
    {
        int weight;
        await using (var db = host.CreateDbContext())
        {
            weight = (await db.Products.SingleAsync(p => p.Code == "L2-MICRO")).Limits.Weight;
        }

        var page = await host.SignInAsNewUserAsync(Roles.OperationsManager, "Olga Ops");
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Lenders & products" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lenders & products", Level = 1 })).ToBeVisibleAsync();
            var row = page.GetByTestId("product-L2-MICRO");
            await Assertions.Expect(row.GetByTestId("weight")).ToHaveTextAsync(weight.ToString());

            await row.GetByRole(AriaRole.Button, new() { Name = "Edit product L2-MICRO" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog.GetByTestId("product-routing")).ToContainTextAsync($"Weight {weight}");
            await Assertions.Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Weight" })).ToHaveCountAsync(0);
            await dialog.GetByRole(AriaRole.Link, new() { Name = "Open routing" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Routing", Level = 1 })).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
