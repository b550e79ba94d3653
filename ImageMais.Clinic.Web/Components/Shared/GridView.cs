using System.Globalization;

namespace ImageMais.Clinic.Web.Components.Shared;

/// <summary>The page sizes every grid offers.</summary>
public static class GridPageSizes
{
    public static readonly IReadOnlyList<int> All = [10, 25, 50, 100];
}

/// <summary>
/// What a grid can do with its rows, the same for every tab: how a row matches a search, and the columns it sorts
/// by. Declared once per page (a static field), so an open tab holds only the person's choices (<see cref="GridView{T}"/>).
/// </summary>
public sealed class GridDefinition<T>(Func<T, string, bool> matches)
{
    private readonly Dictionary<string, Func<IEnumerable<T>, bool, IEnumerable<T>>> _sorts = [];

    /// <summary>
    /// Lets the rows be sorted by <paramref name="column"/>. Text is compared as people of the UI language read
    /// it (accents and case do not split "Álvaro" from "alvaro"), in the culture current when the rows are shown.
    /// </summary>
    public GridDefinition<T> Sortable<TKey>(string column, Func<T, TKey> key)
    {
        _sorts[column] = (rows, descending) =>
        {
            var comparer = typeof(TKey) == typeof(string)
                ? (IComparer<TKey>)StringComparer.Create(CultureInfo.CurrentCulture, ignoreCase: true)
                : Comparer<TKey>.Default;
            return descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);
        };
        return this;
    }

    internal bool Matches(T row, string search) => matches(row, search);

    internal bool IsSortable(string column) => _sorts.ContainsKey(column);

    internal IEnumerable<T> Sort(IEnumerable<T> rows, string column, bool descending) => _sorts[column](rows, descending);
}

/// <summary>
/// What a grid shows of a list: the rows that match a search, in the order of one sorted column, one page at a
/// time. Plain state rather than a grid component, because every component an open page holds costs server
/// memory in each circuit for as long as the tab stays open; the page renders the rows as plain markup.
/// </summary>
/// <remarks>
/// The list itself stays with the page (live changes replace it), and is passed to <see cref="Show"/> at each
/// render: the view keeps only the user's choices, so a row added or removed elsewhere needs no bookkeeping here.
/// </remarks>
public sealed class GridView<T>(GridDefinition<T> definition)
{
    private string _search = "";
    private int _pageSize = GridPageSizes.All[0];
    private int _pageIndex;

    /// <summary>The search typed by the user. A new search starts again at the first page.</summary>
    public string Search
    {
        get => _search;
        set
        {
            value ??= "";
            if (value != _search)
            {
                (_search, _pageIndex) = (value, 0);
            }
        }
    }

    /// <summary>
    /// Rows a page, one of <see cref="GridPageSizes.All"/>; any other value (it comes from the browser) is ignored.
    /// A new size keeps the first row of the current page in view.
    /// </summary>
    public int PageSize
    {
        get => _pageSize;
        set
        {
            if (GridPageSizes.All.Contains(value))
            {
                (_pageIndex, _pageSize) = (_pageIndex * _pageSize / value, value);
            }
        }
    }

    /// <summary>The page shown, from 0; kept within the pages there are at each <see cref="Show"/>.</summary>
    public int PageIndex => _pageIndex;

    /// <summary>The column the rows are sorted by, or null for the list's own order.</summary>
    public string? SortColumn { get; private set; }

    public bool SortDescending { get; private set; }

    /// <summary>Ascending, then descending, then back to the list's own order; one column at a time.</summary>
    public void SortBy(string column)
    {
        if (!definition.IsSortable(column))
        {
            throw new ArgumentException($"Column '{column}' is not sortable.", nameof(column));
        }

        (SortColumn, SortDescending) = SortColumn != column ? (column, false)
            : !SortDescending ? (column, true)
            : (null, false);
    }

    /// <summary>The value of <c>aria-sort</c> for <paramref name="column"/>'s header.</summary>
    public string AriaSort(string column) =>
        SortColumn != column ? "none" : SortDescending ? "descending" : "ascending";

    public void GoTo(int pageIndex) => _pageIndex = Math.Max(0, pageIndex);

    /// <summary>
    /// The page of <paramref name="items"/> to show. When the rows no longer reach the current page (a delete, a
    /// narrower search), the view moves back to the last page that has rows.
    /// </summary>
    public GridPage<T> Show(IReadOnlyList<T> items)
    {
        IEnumerable<T> rows = items;
        var search = _search.Trim();
        if (search.Length > 0)
        {
            rows = rows.Where(item => definition.Matches(item, search));
        }

        if (SortColumn is { } column)
        {
            rows = definition.Sort(rows, column, SortDescending);
        }

        var shown = rows.ToList();
        var pageCount = Math.Max(1, (shown.Count + _pageSize - 1) / _pageSize);
        _pageIndex = Math.Min(_pageIndex, pageCount - 1);
        var first = _pageIndex * _pageSize;
        return new GridPage<T>(shown.GetRange(first, Math.Min(_pageSize, shown.Count - first)), shown.Count, _pageIndex, pageCount, first);
    }
}

/// <summary>One page of a <see cref="GridView{T}"/>: its rows and where they sit among all that match.</summary>
public sealed record GridPage<T>(IReadOnlyList<T> Rows, int Total, int Index, int Count, int Offset)
{
    /// <summary>Position of the first row shown, from 1 (0 when there is none), as a pager writes it.</summary>
    public int FirstRow => Total == 0 ? 0 : Offset + 1;

    public int LastRow => Offset + Rows.Count;

    public bool IsFirst => Index == 0;

    public bool IsLast => Index == Count - 1;
}
