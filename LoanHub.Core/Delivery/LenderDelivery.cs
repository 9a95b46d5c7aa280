using System.Net;
using System.Net.Sockets;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Delivery;

/// <summary>
/// Where a push lender receives its leads: an optional pre-check (撞库) URL, the post (进件) URL, and how long
/// each call may take. The shared signing secret is kept apart (encrypted, never shown again), so this value
/// can be exported, audited and shown on screen.
/// </summary>
public sealed record LenderDelivery
{
    public const int MinTimeoutMs = 100;
    public const int MaxTimeoutMs = 10_000;
    public const int DefaultTimeoutMs = 800;
    public const int MinSecretLength = 32;

    public string? PrecheckUrl { get; }
    public string PostUrl { get; }
    public int TimeoutMs { get; }

    private LenderDelivery(string? precheckUrl, string postUrl, int timeoutMs)
    {
        PrecheckUrl = precheckUrl;
        PostUrl = postUrl;
        TimeoutMs = timeoutMs;
    }

    /// <summary>Checks each URL (<see cref="EndpointRules"/>) and the timeout; a <see cref="DomainException"/> names the field at fault.</summary>
    public static LenderDelivery Create(string? precheckUrl, string? postUrl, int? timeoutMs, bool allowPrivateEndpoints)
    {
        var timeout = timeoutMs ?? DefaultTimeoutMs;
        if (timeout is < MinTimeoutMs or > MaxTimeoutMs)
            throw new DomainException($"timeoutMs: must be {MinTimeoutMs}–{MaxTimeoutMs:N0}.");
        return new(
            string.IsNullOrWhiteSpace(precheckUrl) ? null : EndpointRules.Checked(precheckUrl, "precheckUrl", allowPrivateEndpoints),
            EndpointRules.Checked(postUrl, "postUrl", allowPrivateEndpoints),
            timeout);
    }

    /// <summary>As the store holds it: checked when it was set. Send time checks every resolved address again.</summary>
    public static LenderDelivery Restore(string? precheckUrl, string postUrl, int timeoutMs) => new(precheckUrl, postUrl, timeoutMs);

    public static string CheckedSecret(string? secret) =>
        secret is { Length: >= MinSecretLength and <= 256 } && !secret.Any(char.IsWhiteSpace)
            ? secret
            : throw new DomainException($"secret: must be {MinSecretLength}–256 characters without spaces.");
}

/// <summary>
/// Which lender endpoints LoanHub may call: https anywhere public, plain http only on loopback (tests, the demo),
/// never a private, link-local or otherwise internal address unless the installation allows private endpoints.
/// The same address rule is applied again at send time to every address the host name resolves to.
/// </summary>
public static class EndpointRules
{
    /// <summary>The URL, trimmed, when it may be called; a <see cref="DomainException"/> naming <paramref name="field"/> otherwise.</summary>
    public static string Checked(string? url, string field, bool allowPrivateEndpoints)
    {
        var error = Problem(url, allowPrivateEndpoints);
        return error is null ? url!.Trim() : throw new DomainException($"{field}: {error}");
    }

    /// <summary>Why <paramref name="url"/> may not be called, or null when it may.</summary>
    public static string? Problem(string? url, bool allowPrivateEndpoints)
    {
        if (string.IsNullOrWhiteSpace(url)) return "is required";
        if (url.Trim().Length > 500) return "must be at most 500 characters";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "must be an absolute https URL";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "must not carry a user name or password";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "must not have a fragment";
        var loopback = IsLoopbackHost(uri);
        if (uri.Scheme == "http" && !loopback) return "must use https (plain http only on 127.0.0.1, localhost or [::1])";
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.DnsSafeHost, out var address) && !loopback && IsInternal(address) && !allowPrivateEndpoints)
            return $"points at an internal address ({address}); private and link-local endpoints are not allowed";
        if (uri.HostNameType == UriHostNameType.Dns && !loopback && IsInternalName(uri.DnsSafeHost) && !allowPrivateEndpoints)
            return $"points at an internal host name ({uri.DnsSafeHost})";
        return null;
    }

    /// <summary>Plain loopback the way the URL says it: 127.0.0.1 (any 127/8), localhost, [::1].</summary>
    public static bool IsLoopbackHost(Uri uri) =>
        string.Equals(uri.DnsSafeHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// May a connection for <paramref name="uri"/> go to <paramref name="address"/> (one of the addresses its host
    /// resolved to)? Loopback only when the URL itself names loopback, so a public name cannot be pointed at us.
    /// </summary>
    public static bool MayConnect(Uri uri, IPAddress address, bool allowPrivateEndpoints)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return IsLoopbackHost(uri);
        return allowPrivateEndpoints || !IsInternal(address);
    }

    /// <summary>Loopback, unspecified, private (RFC 1918), link-local, CGNAT, multicast and reserved, IPv6 unique-local and link-local.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || b[0] >= 224;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return true;
    }

    private static bool IsInternalName(string host) =>
        host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
        || !host.Contains('.');
}
