using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// Dialogs, confirmations and snackbars for a tab, through MudBlazor's services, with MudBlazor's popover, dialog
/// and snackbar providers drawn by the layout only once the tab first needs one of them. Most open tabs never
/// show a dialog, and those five components (and the popover service's browser set-up) would otherwise stay in
/// server memory for as long as every tab is open.
/// </summary>
/// <remarks>
/// One per circuit. A page that draws a MudBlazor popover of its own (a select, a data grid's pager) calls
/// <see cref="Require"/> when it initializes. Without a layout hosting them (a page rendered on its own), the
/// providers are assumed to be drawn by whoever renders the page.
/// </remarks>
public sealed class Overlays(IDialogService dialogs, ISnackbar snackbar)
{
    private Func<Task>? _redrawHost;
    private TaskCompletionSource? _drawn;

    /// <summary>Whether the layout should draw the providers.</summary>
    public bool Required { get; private set; }

    /// <summary>Asks the layout to draw the providers, without waiting for it.</summary>
    public void Require() => _ = DrawAsync();

    public async Task<IDialogReference> ShowAsync<TDialog>(string title, DialogParameters parameters, DialogOptions options)
        where TDialog : IComponent
    {
        await DrawAsync();
        return await dialogs.ShowAsync<TDialog>(title, parameters, options);
    }

    /// <summary>Asks <paramref name="question"/>; true when the person chose <paramref name="yes"/>.</summary>
    public async Task<bool> ConfirmAsync(string title, string question, string yes, string cancel)
    {
        await DrawAsync();
        return await dialogs.ShowMessageBoxAsync(title, question, yesText: yes, cancelText: cancel) == true;
    }

    public async Task NotifyAsync(string message, Severity severity)
    {
        await DrawAsync();
        snackbar.Add(message, severity);
    }

    /// <summary>The layout that draws the providers: <paramref name="redraw"/> renders it again.</summary>
    internal void Host(Func<Task> redraw) => _redrawHost = redraw;

    /// <summary>Called by the layout after each render: the providers are there once <see cref="Required"/>.</summary>
    internal void HostRendered()
    {
        if (Required)
        {
            _drawn?.TrySetResult();
        }
    }

    private Task DrawAsync()
    {
        if (_redrawHost is null)
        {
            return Task.CompletedTask;
        }

        if (_drawn is null)
        {
            (Required, _drawn) = (true, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _ = _redrawHost();
        }

        return _drawn.Task;
    }
}
