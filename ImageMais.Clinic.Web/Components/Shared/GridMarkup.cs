using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>A column of a grid: its sort key (null when it does not sort) and the <see cref="UiText"/> name of its title (null for none).</summary>
public sealed record GridColumn(string? Key, string? Title);

/// <summary>
/// A grid's header row and pager buttons as markup in MudBlazor's table classes, their controls reaching the page
/// through <c>@ongridaction</c> (<see cref="GridActionEventArgs"/>): "sort" with the column's number in
/// <c>data-id</c>, and "first-page", "previous-page", "next-page", "last-page". Each variant is built once per
/// language and shared by every open tab, so a grid's chrome is one frame of each tab's render tree.
/// </summary>
public static class GridMarkup
{
    public const string Sort = "sort", FirstPage = "first-page", PreviousPage = "previous-page", NextPage = "next-page", LastPage = "last-page";

    // Letters with accents stay as they are (names are mostly Portuguese); markup characters are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly ConcurrentDictionary<(string Grid, string Culture, string? Column, bool Descending), MarkupString> Headers = new();
    private static readonly ConcurrentDictionary<(string Culture, bool IsFirst, bool IsLast), MarkupString> Pagers = new();
    private static readonly ConcurrentDictionary<int, MarkupString> PageSizeOptionsBySize = new();
    private static readonly ConcurrentDictionary<(string Action, string Label, string Icon, bool Disabled), MarkupString> Buttons = new();
    private static readonly string UnsortedIcon = SvgIcon.Of(Icons.Material.Filled.ArrowUpward, "mud-table-sort-label-icon").Value;
    private static readonly string AscendingIcon = SvgIcon.Of(Icons.Material.Filled.ArrowUpward, "mud-table-sort-label-icon mud-direction-asc").Value;
    private static readonly string DescendingIcon = SvgIcon.Of(Icons.Material.Filled.ArrowUpward, "mud-table-sort-label-icon mud-direction-desc").Value;
    private static readonly string[] PagerIcons =
    [
        SvgIcon.Of(Icons.Material.Filled.FirstPage).Value, SvgIcon.Of(Icons.Material.Filled.NavigateBefore).Value,
        SvgIcon.Of(Icons.Material.Filled.NavigateNext).Value, SvgIcon.Of(Icons.Material.Filled.LastPage).Value,
    ];

    /// <summary>Text or an attribute value as markup: &lt;, &gt;, &amp; and quotes escaped.</summary>
    public static string Encode(string text) => Encoder.Encode(text);

    /// <summary>
    /// The header row of the grid named <paramref name="grid"/>: one sort button per sortable column, with
    /// <c>aria-sort</c> and the arrow of <paramref name="view"/>'s sort, titles in the current UI language.
    /// </summary>
    public static MarkupString HeaderRow<T>(string grid, IReadOnlyList<GridColumn> columns, GridView<T> view, IStringLocalizer<UiText> text) =>
        Headers.GetOrAdd((grid, CultureInfo.CurrentUICulture.Name, view.SortColumn, view.SortDescending), key =>
        {
            var html = new StringBuilder("""<tr class="mud-table-row">""");
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                var title = column.Title is null ? "" : Encoder.Encode(text[column.Title]);
                html.Append("""<th scope="col" class="mud-table-cell" """);
                if (column.Key is null)
                {
                    html.Append('>').Append(title).Append("</th>");
                    continue;
                }

                var ariaSort = view.AriaSort(column.Key);
                var icon = ariaSort switch { "ascending" => AscendingIcon, "descending" => DescendingIcon, _ => UnsortedIcon };
                html.Append("aria-sort=\"").Append(ariaSort).Append("\">")
                    .Append("""<button type="button" class="mud-button-root mud-table-sort-label mud-clickable" data-testid="sort-""").Append(column.Key)
                    .Append("\" data-grid-action=\"").Append(Sort).Append("\" data-id=\"").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\">")
                    .Append(title).Append(icon).Append("</button></th>");
            }

            return new MarkupString(html.Append("</tr>").ToString());
        });

    /// <summary>The pager's first, previous, next and last page buttons, those that lead nowhere disabled.</summary>
    public static MarkupString PagerButtons(bool isFirst, bool isLast, IStringLocalizer<UiText> text) =>
        Pagers.GetOrAdd((CultureInfo.CurrentUICulture.Name, isFirst, isLast), key =>
        {
            var html = new StringBuilder();
            (string Action, string Label, bool Disabled)[] buttons =
            [
                (FirstPage, text["Grid.FirstPage"], key.IsFirst), (PreviousPage, text["Grid.PreviousPage"], key.IsFirst),
                (NextPage, text["Grid.NextPage"], key.IsLast), (LastPage, text["Grid.LastPage"], key.IsLast),
            ];
            for (var i = 0; i < buttons.Length; i++)
            {
                var (action, label, disabled) = buttons[i];
                var encoded = Encoder.Encode(label);
                html.Append("""<button type="button" class="mud-button-root mud-icon-button mud-ripple mud-ripple-icon mud-flip-x-rtl" aria-label=""").Append('"').Append(encoded)
                    .Append("\" title=\"").Append(encoded).Append('"').Append(disabled ? " disabled" : "")
                    .Append(" data-testid=\"").Append(action).Append("\" data-grid-action=\"").Append(action).Append("\">")
                    .Append("""<span class="mud-icon-button-label">""").Append(PagerIcons[i]).Append("</span></button>");
            }

            return new MarkupString(html.ToString());
        });

    /// <summary>
    /// The options of a page-size select (<see cref="GridPageSizes.All"/>), <paramref name="selected"/> marked
    /// selected: the select's own bound value then agrees with its options whenever they are drawn again.
    /// </summary>
    public static MarkupString PageSizeOptions(int selected) =>
        PageSizeOptionsBySize.GetOrAdd(selected, size =>
        {
            var html = new StringBuilder();
            foreach (var option in GridPageSizes.All)
            {
                var value = option.ToString(CultureInfo.InvariantCulture);
                html.Append("<option value=\"").Append(value).Append('"').Append(option == size ? " selected" : "").Append('>').Append(value).Append("</option>");
            }

            return new MarkupString(html.ToString());
        });

    /// <summary>A filled primary button with an icon, e.g. a page's "New" button, reaching the page as <paramref name="action"/>.</summary>
    public static MarkupString PrimaryButton(string action, string label, string icon, bool disabled) =>
        Buttons.GetOrAdd((action, label, icon, disabled), key => new MarkupString(
            "<button type=\"button\" class=\"mud-button-root mud-button mud-button-filled mud-button-filled-primary mud-button-filled-size-medium mud-ripple\""
            + (key.Disabled ? " disabled" : "") + " data-testid=\"" + key.Action + "\" data-grid-action=\"" + key.Action + "\">"
            + "<span class=\"mud-button-label\"><span class=\"mud-button-icon-start mud-button-icon-size-medium\">" + SvgIcon.Of(key.Icon).Value + "</span>"
            + Encoder.Encode(key.Label) + "</span></button>"));
}
