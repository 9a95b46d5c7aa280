using System.Diagnostics;
using System.Text;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LoanHub.Tests.Web;

/// <summary>
/// The real application as a separate OS process (<c>dotnet LoanHub.Web.dll</c>) over a store (<see cref="TestStores"/>), on a loopback
/// port the process picks itself, configured only by its command line. Unlike <see cref="LoanHubHost"/> it can die
/// the way a crash does: <see cref="Kill"/> sends SIGKILL, so no shutdown code runs and only what is in the store
/// survives. Each instance is one process, started once; a new one over the same <see cref="DatabasePath"/> is a
/// restart, and two running at once over one file are two instances of the installation.
/// </summary>
/// <remarks>
/// Tests that use it say so with <c>[Trait("Category", AppProcess.Category)]</c>. Dispose it in every path (a test
/// class's <c>DisposeAsync</c>, not only the end of the test method), or a failing test leaves a process behind.
/// </remarks>
public sealed class AppProcess : IAsyncDisposable
{
    /// <summary>The trait value of tests that spawn processes: <c>--filter Category!=SpawnsProcesses</c> leaves them out.</summary>
    public const string Category = "SpawnsProcesses";

    private const string ListeningMessage = "Now listening on: ";

    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private HttpClient? client;
    private IHost? store;

    public AppProcess() : this(LoanHubHost.NewDatabasePath()) { }

    public AppProcess(string databasePath)
    {
        DatabasePath = databasePath;
        foreach (var (key, value) in TestStores.Settings(databasePath)) Settings[key] = value;
        Settings["LoanHub:Seed:AdminEmail"] = LoanHubHost.AdminEmail;
        Settings["LoanHub:Seed:AdminPassword"] = LoanHubHost.AdminPassword;
        Settings["LoanHub:Seed:Demo"] = "false";
        Settings["LoanHub:Seed:File"] = LoanHubHost.ExampleSeedFile;
    }

    public string DatabasePath { get; }

    /// <summary>
    /// Configuration keys (<c>LoanHub:Delivery:DeadlineMs</c>) given to the process as <c>--key=value</c>, which wins over
    /// appsettings and over anything the test run's environment holds. Set before <see cref="StartAsync"/>.
    /// </summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>Development by default, as <see cref="LoanHubHost"/> runs the application, so both kinds of test see the same pipeline.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>
    /// Generous: a start takes 2–3 s on an idle machine, but the whole suite (or a second engineer's) on two cores
    /// makes it 15 s and more; this bounds a hang, not the speed.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The application's build output the test assembly was built against; its content root too.</summary>
    public static string AppDirectory => Path.GetDirectoryName(typeof(Program).Assembly.Location)!;

    /// <summary>A client of the running process; each request may take at most 30 seconds.</summary>
    public HttpClient Client => client ?? throw new InvalidOperationException("Start the process first.");

    public bool HasExited => process?.HasExited ?? false;

    /// <summary>The operating system's id of the running process (its writer names itself by it).</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("Start the process first.");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>Starts the process and returns once it answers <c>/healthz</c>; throws with its output when it does not within <see cref="StartTimeout"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (process is not null) throw new InvalidOperationException("An AppProcess starts once; start a new one over the same database to restart.");
        var child = new Process { StartInfo = StartInfo(), EnableRaisingEvents = true };
        child.OutputDataReceived += (_, e) => Record(e.Data);
        child.ErrorDataReceived += (_, e) => Record(e.Data);
        child.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The process exited before it listened."));
        child.Start();
        process = child; // only a started process is killed and waited for
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var address = await listening.Task.WaitAsync(timeout.Token);
            client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilHealthyAsync(timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var stage = client is null ? "did not listen" : $"listened on {client.BaseAddress} but /healthz did not answer 2xx";
            Kill();
            throw new InvalidOperationException(
                $"LoanHub.Web {stage} within {StartTimeout.TotalSeconds:0} s (exit code {process.ExitCode}). Its output:{System.Environment.NewLine}{Output}", e);
        }
    }

    /// <summary>SIGKILL to the process (and anything it started), then waits until it is gone and its output is read.</summary>
    public void Kill()
    {
        if (process is null) return;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
        }
        process.WaitForExit();
    }

    /// <summary>
    /// A context over the store as this process's settings see it (same file, same key ring beside it), opened from
    /// the test process with the application's own registration, so it works whether the process runs or was killed.
    /// </summary>
    public LoanHubDbContext CreateDbContext()
    {
        store ??= OpenStore();
        return store.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process?.Dispose();
        client?.Dispose();
        if (store is not null)
        {
            store.Dispose();
            TestStores.Release(DatabasePath);
        }
        return ValueTask.CompletedTask;
    }

    private ProcessStartInfo StartInfo()
    {
        var dll = Path.Combine(AppDirectory, "LoanHub.Web.dll");
        // The copy beside the test assembly is exactly the build the in-process hosts run; it can run on its own
        // only with its runtimeconfig and deps files, which Microsoft.AspNetCore.Mvc.Testing copies there too.
        foreach (var required in new[] { dll, Path.ChangeExtension(dll, ".runtimeconfig.json"), Path.ChangeExtension(dll, ".deps.json") })
            if (!File.Exists(required)) throw new InvalidOperationException($"{required} is missing: build LoanHub.Tests again.");

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add($"--environment={EnvironmentName}");
        start.ArgumentList.Add($"--contentRoot={AppDirectory}");
        // Port 0: the process binds a free port itself and logs it, so no port is picked here and lost to a race.
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        start.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        foreach (var (key, value) in Settings) start.ArgumentList.Add($"--{key}={value}");
        return start;
    }

    // The muxer that runs the tests, so the application runs on the same .NET installation.
    private static string DotnetHost() =>
        System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";

    private void Record(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
        var at = line.IndexOf(ListeningMessage, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + ListeningMessage.Length)..].Trim(), UriKind.Absolute, out var address))
            listening.TrySetResult(address);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process!.HasExited) throw new InvalidOperationException("The process exited before it was healthy.");
            try
            {
                using var response = await Client.GetAsync("/healthz", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private IHost OpenStore()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = EnvironmentName, ContentRootPath = AppDirectory });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.AddLoanHubData();
        return builder.Build();
    }
}
