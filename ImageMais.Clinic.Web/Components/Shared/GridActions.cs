using Microsoft.AspNetCore.Components;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>
/// A click on a control of a grid drawn as markup (a row's buttons, a sortable header, the pager): the control
/// carries <c>data-grid-action</c> and, when it needs one, <c>data-id</c>, and clinic.js turns its click into one
/// <c>gridaction</c> event that bubbles to a single <c>@ongridaction</c> handler on the grid. The controls then
/// hold no elements, attributes or event handlers in the server's render tree, which every open tab keeps.
/// </summary>
public sealed class GridActionEventArgs : EventArgs
{
    /// <summary>The control's <c>data-grid-action</c>, e.g. "edit".</summary>
    public string Action { get; set; } = "";

    /// <summary>The control's <c>data-id</c> (the row's id, a column's number), 0 when it has none.</summary>
    public int Id { get; set; }
}

/// <summary>Lets markup say <c>@ongridaction</c> (the Razor compiler looks for this attribute on classes named EventHandlers).</summary>
[EventHandler("ongridaction", typeof(GridActionEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers
{
}
