using MudBlazor;

namespace LoanHub.Web.Components;

public static class DialogServiceExtensions
{
    private static readonly DialogOptions ConfirmOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    /// <summary>Shows <see cref="ConfirmDialog"/>; true only when the user pressed the confirming button.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText, bool destructive = false,
        string? cancelText = null)
    {
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title }, { d => d.Message, message }, { d => d.ConfirmText, confirmText }, { d => d.Destructive, destructive }, { d => d.CancelText, cancelText },
        }, ConfirmOptions);
        return await dialog.Result is { Canceled: false, Data: true };
    }
}
