using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LoanHub.Web.Features.Demo;

/// <summary>
/// Where this server answers on loopback, once it listens: the demo's traffic, lenders and postbacks call the app
/// over real HTTP there, as outside parties would. Null when the server has no socket (TestServer) or only pipes.
/// </summary>
internal sealed class DemoSelfAddress
{
    private readonly TaskCompletionSource<Uri?> address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DemoSelfAddress(IServer server, IHostApplicationLifetime lifetime)
    {
        // Kestrel has bound (and reported the real ports of port 0) by then; a late registration runs at once.
        lifetime.ApplicationStarted.Register(() =>
            address.TrySetResult(Choose(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])));
    }

    /// <summary>The base URL (ending in <c>/</c>) once the application has started; null when there is none.</summary>
    public Task<Uri?> WaitAsync(CancellationToken cancellationToken) => address.Task.WaitAsync(cancellationToken);

    private static readonly string[] Wildcards = ["0.0.0.0", "[::]", "::", "+", "*"];

    /// <summary>
    /// The address to call ourselves at: http before https (no certificate to trust), loopback or any-address bindings
    /// before a specific interface, the server's order otherwise. A wildcard binding is reached on 127.0.0.1.
    /// </summary>
    internal static Uri? Choose(IEnumerable<string> addresses)
    {
        var candidates = new List<(Uri Url, int Rank)>();
        foreach (var text in addresses)
        {
            BindingAddress binding;
            try
            {
                binding = BindingAddress.Parse(text);
            }
            catch (FormatException)
            {
                continue;
            }
            if (binding.IsUnixPipe || binding.IsNamedPipe || binding.Port <= 0 || binding.Scheme is not ("http" or "https")) continue;

            var wildcard = Wildcards.Contains(binding.Host);
            var host = wildcard ? "127.0.0.1" : binding.Host;
            if (!Uri.TryCreate($"{binding.Scheme}://{host}:{binding.Port}/", UriKind.Absolute, out var url)) continue;
            var local = wildcard || url.IsLoopback;
            candidates.Add((url, (binding.Scheme == "http" ? 0 : 2) + (local ? 0 : 1)));
        }
        return candidates.OrderBy(c => c.Rank).Select(c => c.Url).FirstOrDefault(); // OrderBy is stable: ties keep the server's order
    }
}
