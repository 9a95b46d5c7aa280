using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LoanHub.Tests.Web.Browser;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Cluster;

/// <summary>
/// Two real instances on one PostgreSQL database behind nginx with the shipped <c>deploy/nginx.conf</c>: a browser signs
/// in through the one address, its console's circuit runs over a WebSocket passed through nginx, and every request of
/// the session reaches the same instance (sticky by nginx's cookie), as Blazor Server needs.
/// </summary>
[Trait("Category", AppProcess.Category)]
public sealed class ClusterThroughNginxTests : IAsyncLifetime
{
    private const string Why = "several instances share a PostgreSQL store; a SQLite file has one";
    private static string NginxPath => Environment.GetEnvironmentVariable("LOANHUB_NGINX") ?? "/usr/sbin/nginx";

    private readonly string store = LoanHubHost.NewDatabasePath();
    private readonly List<AppProcess> instances = [];
    private readonly string prefix = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"nginx-{Guid.NewGuid():N}");
    private Process? nginx;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private string baseUrl = "";

    public async Task InitializeAsync()
    {
        if (!TestStores.OnPostgres) return;
        foreach (var _ in new[] { "a", "b" })
        {
            var instance = new AppProcess(store);
            instances.Add(instance);
            await instance.StartAsync();
        }
        var port = FreePort();
        StartNginx(port);
        baseUrl = $"http://127.0.0.1:{port}";
        using var probe = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var until = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (until.Elapsed < TimeSpan.FromSeconds(30))
            {
            }
            if (until.Elapsed > TimeSpan.FromSeconds(30)) throw new InvalidOperationException($"nginx did not answer: {File.ReadAllText(Path.Combine(prefix, "logs", "error.log"))}");
            await Task.Delay(100);
        }
        playwright = await Playwright.CreateAsync();
        browser = await BrowserHost.LaunchChromiumAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (nginx is { HasExited: false })
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
        }
        nginx?.Dispose();
        foreach (var instance in instances) await instance.DisposeAsync();
        if (Directory.Exists(prefix)) Directory.Delete(prefix, recursive: true);
    }

    [PostgresFact(Why)]
    public async Task A_console_signed_in_through_nginx_keeps_its_circuit_and_every_request_on_one_instance()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "en-US", ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var upstreams = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Headers.TryGetValue("x-loanhub-upstream", out var upstream)) lock (upstreams) upstreams.Add(upstream);
        };
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => { lock (sockets) sockets.Add(socket.Url); };

        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(LoanHubHost.AdminEmail);
        await page.GetByLabel("Password").FillAsync(LoanHubHost.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserHost.WaitUntilInteractiveAsync(page);
        // Into another page inside the circuit, then a reload: a new circuit, on the same instance.
        await page.GotoAsync("/applications");
        await BrowserHost.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Applications" })).ToBeVisibleAsync();

        var node = (await context.CookiesAsync()).Single(c => c.Name == "loanhub_node").Value;
        Assert.Contains(node, new[] { "a", "b" });
        lock (upstreams)
        {
            Assert.True(upstreams.Count > 5, $"{upstreams.Count} responses came through nginx");
            Assert.Single(upstreams.Distinct()); // sticky: one instance served the whole session
            Assert.Equal(instances[node == "a" ? 0 : 1].Client.BaseAddress!.Authority, upstreams[0]);
        }
        lock (sockets) Assert.Contains(sockets, url => url.StartsWith($"ws://127.0.0.1:", StringComparison.Ordinal) && url.Contains("/_blazor", StringComparison.Ordinal));
    }

    // The shipped configuration, with its instance and listen addresses replaced by this run's.
    private void StartNginx(int port)
    {
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        var shipped = File.ReadAllText(Path.Combine(LoanHubHost.RepositoryRoot, "deploy", "nginx.conf"));
        var configured = new StringBuilder(shipped)
            .Replace("127.0.0.1:5101", instances[0].Client.BaseAddress!.Authority)
            .Replace("127.0.0.1:5102", instances[1].Client.BaseAddress!.Authority)
            .Replace("listen 127.0.0.1:8080;", $"listen 127.0.0.1:{port};")
            .ToString();
        Assert.NotEqual(shipped, configured);
        var config = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(config, configured);
        if (!File.Exists(NginxPath)) throw new InvalidOperationException($"nginx is not at {NginxPath}: ./test.sh installs Debian's nginx (or set LOANHUB_NGINX).");
        var start = new ProcessStartInfo(NginxPath) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", config, "-p", prefix + "/", "-e", "logs/error.log", "-g", "daemon off;" }) start.ArgumentList.Add(arg);
        nginx = Process.Start(start)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
