using QRCoder;

namespace LoanHub.Web.Features.Account;

/// <summary>The <c>otpauth://</c> URI of a user's authenticator key, drawn as an inline SVG QR code (no image request, no script).</summary>
public static class AuthenticatorQrCode
{
    public const string Issuer = "LoanHub";

    public static string Uri(string account, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(account)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6";

    public static string Svg(string account, string key)
    {
        using var data = QRCodeGenerator.GenerateQrCode(Uri(account, key), QRCodeGenerator.ECCLevel.Q);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
