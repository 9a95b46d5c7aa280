using System.Security.Claims;
using System.Text.RegularExpressions;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Browser;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Lenders;

/// <summary>
/// Push delivery on the Lenders page in a real browser. The browser tests share one store whose dashboard counts active
/// lenders and products, so each test's lender is created with a paused product and is itself paused (or auto-paused).
/// </summary>
[Collection(BrowserCollection.Name)]
public partial class LenderDeliveryBrowserTests(BrowserHost host)
{
    private static readonly ClaimsPrincipal Manager = TestUsers.Principal("setup@test.local", Roles.OperationsManager);
    private static int people = 8_700_000;

    private async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    /// <summary>A paused lender with one paused product: on the page, but never routed to and not counted as active.</summary>
    private async Task<(LenderRow Lender, ProductRow Product)> PausedLenderAsync(string code, string name)
    {
        await WithAsync(async s =>
        {
            var catalog = s.GetRequiredService<LenderCatalogService>();
            Assert.True((await catalog.CreateLenderAsync(Manager, code, name)).Succeeded);
            var lender = (await catalog.ListAsync()).Single(l => l.Code == code);
            var form = ProductForm.NewFor(lender);
            form.Code = $"{code}-CASH";
            form.Name = "Cash loan";
            form.CommissionAmount = 30m;
            Assert.True((await catalog.SaveProductAsync(Manager, form)).Succeeded);
            var product = (await catalog.ListAsync()).Single(l => l.Code == code).Products.Single();
            Assert.True((await catalog.SetProductActiveAsync(Manager, product.Id, false)).Succeeded);
            Assert.True((await catalog.SetLenderActiveAsync(Manager, lender.Id, false)).Succeeded);
            return true;
        });
        var row = await WithAsync(async s => (await s.GetRequiredService<LenderCatalogService>().ListAsync()).Single(l => l.Code == code));
        return (row, row.Products.Single());
    }

    private async Task<IPage> OpenLendersAsync(string role, string name)
    {
        var page = await host.SignInAsNewUserAsync(role, name);
        await page.GotoAsync("/lenders");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lenders & products", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    [GeneratedRegex(@"^\d[\d,]* ms$")]
    private static partial Regex Milliseconds();

    [Fact]
    public async Task Operations_manager_sets_a_lenders_delivery_sees_its_secret_once_and_sends_a_test_precheck()
    {
        await PausedLenderAsync("T-BDEL", "Browser Delivery Lender");
        await using var first = new LenderStub();
        await first.StartAsync();

        var page = await OpenLendersAsync(Roles.OperationsManager, "Olga Ops");
        try
        {
            var row = page.GetByTestId("delivery-of-T-BDEL");
            await Assertions.Expect(row.GetByTestId("delivery-chip")).ToHaveTextAsync("Pull");
            await row.GetByTestId("delivery-T-BDEL").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog.GetByTestId("delivery-mode")).ToContainTextAsync("T-BDEL is a pull lender");

            // A rule the service applies shows on its field.
            await dialog.Locator("#delivery-post-url").FillAsync("http://lender.example.com/applications");
            await dialog.GetByTestId("delivery-save").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("The post URL must use https");
            await Assertions.Expect(dialog.GetByTestId("delivery-secret")).ToHaveCountAsync(0);

            await dialog.Locator("#delivery-precheck-url").FillAsync(first.PrecheckUrl.ToString());
            await dialog.Locator("#delivery-post-url").FillAsync(first.PostUrl.ToString());
            await dialog.Locator("#delivery-timeout").FillAsync("1500");
            await dialog.GetByTestId("delivery-save").ClickAsync();

            var shown = dialog.GetByTestId("delivery-secret");
            await Assertions.Expect(shown).ToContainTextAsync("You won't see it again");
            var secret = await dialog.Locator("#delivery-secret-value").InputValueAsync();
            Assert.True(secret.Length >= 48, secret);
            await using (var db = host.CreateDbContext())
            {
                Assert.Equal(secret, (await db.Lenders.AsNoTracking().SingleAsync(l => l.Code == "T-BDEL")).DeliverySecret);
            }

            // The lender's side, started with the secret it was given; a second save points the delivery at it and keeps the secret.
            await using var lender = new LenderStub(secret);
            await lender.StartAsync();
            lender.OnPrecheck = _ => StubReply.Accept(35.5m);
            await dialog.Locator("#delivery-precheck-url").FillAsync(lender.PrecheckUrl.ToString());
            await dialog.Locator("#delivery-post-url").FillAsync(lender.PostUrl.ToString());
            await dialog.GetByTestId("delivery-save").ClickAsync();
            await Assertions.Expect(dialog.GetByTestId("delivery-notice")).ToHaveTextAsync("Delivery of T-BDEL saved.");

            await dialog.GetByTestId("send-test-precheck").ClickAsync();
            var result = dialog.GetByTestId("test-result");
            await Assertions.Expect(result.GetByTestId("test-kind")).ToHaveTextAsync("Accepted");
            await Assertions.Expect(result.GetByTestId("test-price")).ToHaveTextAsync("Price ¥35.50");
            await Assertions.Expect(result.GetByTestId("test-status")).ToHaveTextAsync("HTTP 200");
            await Assertions.Expect(result.GetByTestId("test-latency")).ToHaveTextAsync(Milliseconds());
            await Assertions.Expect(result.GetByTestId("test-body")).ToContainTextAsync("\"price\":35.5");
            var received = Assert.Single(lender.Received);
            Assert.True(received.SignatureValid);
            Assert.Empty(first.Received);
            await Assertions.Expect(dialog.GetByTestId("delivery-save")).ToBeEnabledAsync();
            await page.ScreenshotAsync(new() { Path = "/tmp/lenders-delivery.png" });

            await dialog.GetByTestId("delivery-close").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            await Assertions.Expect(row.GetByTestId("delivery-chip")).ToHaveTextAsync("Push · 127.0.0.1");
            await page.ScreenshotAsync(new() { Path = "/tmp/lenders-page.png", FullPage = true });

            // Shown once: reopening the dialog says a secret is set and does not show it.
            await row.GetByTestId("delivery-T-BDEL").ClickAsync();
            await Assertions.Expect(dialog.GetByTestId("delivery-secret-state")).ToContainTextAsync("Signing secret: set");
            await Assertions.Expect(dialog.Locator("#delivery-post-url")).ToHaveValueAsync(lender.PostUrl.ToString());
            await Assertions.Expect(dialog.Locator("#delivery-timeout")).ToHaveValueAsync("1500");
            await Assertions.Expect(dialog.GetByTestId("delivery-secret")).ToHaveCountAsync(0);
            Assert.DoesNotContain(secret, await page.ContentAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Analyst_sees_an_automatically_paused_lenders_delivery_and_health_read_only()
    {
        const string reason = "Paused automatically: 3 timeouts and 1 errors in 4 attempts over the last 15 minutes (100 %, the limit is 50 %).";
        var (lender, product) = await PausedLenderAsync("T-BHLT", "Browser Health Lender");
        Assert.True((await WithAsync(s => s.GetRequiredService<LenderDeliveryService>()
            .SaveAsync(Manager, "T-BHLT", "https://lender.example.com/precheck", "https://lender.example.com/applications", 800, lender.Version))).Succeeded);
        await StoreFailingAttemptsAsync(lender.Id, product.Id, reason);

        var page = await OpenLendersAsync(Roles.Analyst, "Ann Analyst");
        try
        {
            var row = page.GetByTestId("delivery-of-T-BHLT");
            await Assertions.Expect(row.GetByTestId("delivery-chip")).ToHaveTextAsync("Push · lender.example.com");
            await row.GetByTestId("health-T-BHLT").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog.GetByTestId("health-auto-paused")).ToContainTextAsync(reason);
            await Assertions.Expect(dialog.GetByTestId("health-resume")).ToHaveCountAsync(0);
            await Assertions.Expect(dialog.GetByTestId("health-attempts")).ToContainTextAsync("4");
            await Assertions.Expect(dialog.GetByTestId("health-timeouts")).ToContainTextAsync("3");
            await Assertions.Expect(dialog.GetByTestId("health-errors")).ToContainTextAsync("1");
            await Assertions.Expect(dialog.GetByTestId("health-p95")).ToContainTextAsync("1,000 ms");
            await Assertions.Expect(dialog.GetByTestId("health-chart").Locator("svg").First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = "/tmp/lenders-health.png" });
            await dialog.GetByTestId("health-close").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

            await row.GetByTestId("delivery-T-BHLT").ClickAsync();
            await Assertions.Expect(dialog.GetByTestId("delivery-read-only")).ToBeVisibleAsync();
            await Assertions.Expect(dialog.Locator("#delivery-post-url")).ToHaveValueAsync("https://lender.example.com/applications");
            await Assertions.Expect(dialog.Locator("#delivery-post-url")).Not.ToBeEditableAsync();
            await Assertions.Expect(dialog.GetByTestId("delivery-save")).ToHaveCountAsync(0);
            await Assertions.Expect(dialog.GetByTestId("delivery-rotate")).ToHaveCountAsync(0);
            await Assertions.Expect(dialog.GetByTestId("send-test-precheck")).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Operations_manager_resumes_an_automatically_paused_lender_from_its_health()
    {
        var (lender, product) = await PausedLenderAsync("T-BRES", "Browser Resume Lender");
        Assert.True((await WithAsync(s => s.GetRequiredService<LenderDeliveryService>()
            .SaveAsync(Manager, "T-BRES", null, "https://lender.example.com/applications", 800, lender.Version))).Succeeded);
        await StoreFailingAttemptsAsync(lender.Id, product.Id, "Paused automatically: the endpoint kept failing.");

        var page = await OpenLendersAsync(Roles.OperationsManager, "Olga Ops");
        try
        {
            var row = page.GetByTestId("delivery-of-T-BRES");
            await row.GetByTestId("health-T-BRES").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByTestId("health-resume").ClickAsync();
            await page.GetByTestId("confirm").ClickAsync();

            await Assertions.Expect(page.GetByText("T-BRES is active again.")).ToBeVisibleAsync();
            await Assertions.Expect(dialog.GetByTestId("health-auto-paused")).ToHaveCountAsync(0);
            await using var db = host.CreateDbContext();
            var stored = await db.Lenders.AsNoTracking().SingleAsync(l => l.Code == "T-BRES");
            Assert.True(stored.IsActive);
            Assert.Null(stored.AutoPausedReason);
            Assert.True(await db.Audit.AnyAsync(a => a.EntityId == "T-BRES" && a.Action == "Lender resumed"));
        }
        finally
        {
            await page.Context.CloseAsync();
            // Active lenders are counted on the dashboard other browser tests read.
            await WithAsync(async s => (await s.GetRequiredService<LenderCatalogService>().SetLenderActiveAsync(Manager, lender.Id, false)).Succeeded);
        }
    }

    /// <summary>Four attempts that ended in the last minutes (three timeouts, one error) on a real application, then the system's pause.</summary>
    private async Task StoreFailingAttemptsAsync(LenderId lenderId, ProductId productId, string reason)
    {
        var created = await ReadAsync(await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)))));
        var application = new ApplicationId(Guid.Parse((string)created["applicationId"]!));
        var now = DateTimeOffset.UtcNow;
        await using var db = host.CreateDbContext();
        for (var i = 0; i < 4; i++)
        {
            var at = now.AddSeconds(-40 - 70 * i);
            var attempt = new DeliveryAttempt(application, lenderId, productId, 20 + i, withPrecheck: true, 0m, at.AddSeconds(-1));
            if (i < 3) attempt.RecordPrecheck(CallResult.Timeout, 800 + 100 * i, null, "timeout after 800 ms", at);
            else attempt.RecordPrecheck(CallResult.Error, 120, null, "HTTP 503", at);
            db.DeliveryAttempts.Add(attempt);
        }
        var lender = await db.Lenders.SingleAsync(l => l.Id == lenderId);
        lender.PauseAutomatically(reason);
        await db.SaveChangesAsync();
        host.Services.GetRequiredService<EngineHost>().CatalogChanged();
    }
}
