using MudBlazor;

namespace LoanHub.Web.Components.Layout;

public static class LoanHubTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5aa6",
            // Dark enough for text on white and on the page background (5:1 and more, WCAG AA).
            Secondary = "#00695c",
            // Dark text on amber: white on it read at about 2:1.
            WarningContrastText = "rgba(0,0,0,0.87)",
            AppbarBackground = "#173f73",
            Background = "#f5f7fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb2f0",
            // Light blue buttons carry dark text; white on them read at 2.2:1.
            PrimaryContrastText = "#0b1a2e",
            Secondary = "#4db6ac",
            AppbarBackground = "#1b2333",
        },
    };
}
