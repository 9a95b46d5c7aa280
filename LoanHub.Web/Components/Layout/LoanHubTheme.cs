using MudBlazor;

namespace LoanHub.Web.Components.Layout;

public static class LoanHubTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5aa6",
            Secondary = "#00897b",
            AppbarBackground = "#173f73",
            Background = "#f5f7fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb2f0",
            Secondary = "#4db6ac",
            AppbarBackground = "#1b2333",
        },
    };
}
