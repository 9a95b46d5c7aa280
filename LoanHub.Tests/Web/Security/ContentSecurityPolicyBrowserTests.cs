using LoanHub.Tests.Web.Browser;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Security;

[Collection(BrowserCollection.Name)]
public class ContentSecurityPolicyBrowserTests(BrowserHost host)
{
    // Runs before the page's own scripts on every document, so a violation of any of them is caught.
    private const string RecordViolations = """
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} ${e.sample || ''}`.trim()));
        """;

    [Fact]
    public async Task The_console_runs_under_its_Content_Security_Policy_without_a_violation()
    {
        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                problems.Add($"console {message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        await page.AddInitScriptAsync(RecordViolations);
        try
        {
            await page.GotoAsync("/");
            await BrowserHost.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();

            // The theme switch calls the console's own script file (it was an inline script once).
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).ClickAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Lenders & products" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lenders & products", Level = 1 })).ToBeVisibleAsync();
            await page.GetByTestId("product-L2-MICRO").GetByRole(AriaRole.Button, new() { Name = "Edit product L2-MICRO" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog.GetByTestId("product-routing")).ToBeVisibleAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

            // The violation event is queued as a task: let any pending one arrive.
            var violations = await page.EvaluateAsync<string[]>("() => new Promise(done => setTimeout(() => done(window.cspViolations), 200))");
            Assert.Empty(violations);
            Assert.Empty(problems);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
