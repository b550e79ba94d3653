using System.Globalization;
using ImageMais.Clinic.Web.Components.Shared;

namespace ImageMais.Clinic.Tests.Components;

public sealed class GridViewTests
{
    private sealed record Row(int Id, string Name, bool Flag = false);

    private static readonly IReadOnlyList<Row> Hundred = [.. Enumerable.Range(1, 100).Select(i => new Row(i, $"Row {i:000}"))];

    private static readonly GridDefinition<Row> Definition =
        new GridDefinition<Row>((row, search) => row.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Sortable("name", r => r.Name)
            .Sortable("flag", r => r.Flag);

    private static GridView<Row> NewView() => new(Definition);

    private static int[] Ids(GridPage<Row> page) => [.. page.Rows.Select(r => r.Id)];

    [Fact]
    public void The_first_page_shows_ten_rows_by_default()
    {
        var page = NewView().Show(Hundred);

        Assert.Equal(Enumerable.Range(1, 10), Ids(page));
        Assert.Equal((1, 10, 100, 0, 10), (page.FirstRow, page.LastRow, page.Total, page.Index, page.Count));
        Assert.True(page.IsFirst);
        Assert.False(page.IsLast);
    }

    [Fact]
    public void Going_to_the_second_page_shows_rows_eleven_to_twenty()
    {
        var view = NewView();

        view.GoTo(1);
        var page = view.Show(Hundred);

        Assert.Equal(Enumerable.Range(11, 10), Ids(page));
        Assert.Equal((11, 20), (page.FirstRow, page.LastRow));
    }

    [Fact]
    public void The_last_page_may_be_short_and_knows_it_is_the_last()
    {
        var view = NewView();
        view.PageSize = 25;
        var items = Hundred.Take(60).ToList();

        view.GoTo(2);
        var page = view.Show(items);

        Assert.Equal(Enumerable.Range(51, 10), Ids(page));
        Assert.Equal((51, 60, 3), (page.FirstRow, page.LastRow, page.Count));
        Assert.True(page.IsLast);
    }

    [Fact]
    public void A_page_beyond_the_rows_falls_back_to_the_last_page_with_rows_and_stays_there()
    {
        var view = NewView();
        view.GoTo(9);
        Assert.Equal(9, view.Show(Hundred).Index);

        var page = view.Show(Hundred.Take(95).ToList());

        Assert.Equal(Enumerable.Range(91, 5), Ids(page));
        Assert.Equal(9, view.PageIndex);
        Assert.Equal(8, view.Show(Hundred.Take(90).ToList()).Index);
        Assert.Equal(8, view.Show(Hundred).Index);
    }

    [Fact]
    public void No_rows_make_one_empty_page_counted_from_zero()
    {
        var view = NewView();
        view.GoTo(3);

        var page = view.Show([]);

        Assert.Empty(page.Rows);
        Assert.Equal((0, 0, 0, 0, 1), (page.FirstRow, page.LastRow, page.Total, page.Index, page.Count));
        Assert.True(page.IsFirst && page.IsLast);
    }

    [Fact]
    public void A_negative_page_is_the_first_page()
    {
        var view = NewView();

        view.GoTo(-1);

        Assert.Equal(0, view.PageIndex);
    }

    [Fact]
    public void A_new_page_size_keeps_the_first_row_of_the_page_in_view()
    {
        var view = NewView();
        view.GoTo(3);

        view.PageSize = 25;

        Assert.Equal(Enumerable.Range(26, 25), Ids(view.Show(Hundred)));
    }

    [Fact]
    public void A_search_keeps_the_matching_rows_and_starts_again_at_the_first_page()
    {
        var view = NewView();
        view.GoTo(4);

        view.Search = "row 01";
        var page = view.Show(Hundred);

        Assert.Equal(Enumerable.Range(10, 10), Ids(page));
        Assert.Equal((0, 10, 1), (page.Index, page.Total, page.Count));
    }

    [Fact]
    public void The_same_search_again_keeps_the_page_and_blank_space_around_a_search_is_ignored()
    {
        var view = NewView();
        view.Search = "row";
        view.GoTo(2);

        view.Search = "row";
        Assert.Equal(2, view.PageIndex);

        view.Search = "  row 001 ";
        Assert.Equal([1], Ids(view.Show(Hundred)));

        view.Search = null!;
        Assert.Equal(100, view.Show(Hundred).Total);
    }

    [Fact]
    public void Sorting_a_column_goes_ascending_then_descending_then_back_to_the_lists_order()
    {
        var view = NewView();
        IReadOnlyList<Row> items = [new(1, "b"), new(2, "c"), new(3, "a")];

        view.SortBy("name");
        Assert.Equal([3, 1, 2], Ids(view.Show(items)));
        Assert.Equal(("name", "ascending"), (view.SortColumn, view.AriaSort("name")));

        view.SortBy("name");
        Assert.Equal([2, 1, 3], Ids(view.Show(items)));
        Assert.Equal("descending", view.AriaSort("name"));

        view.SortBy("name");
        Assert.Equal([1, 2, 3], Ids(view.Show(items)));
        Assert.Null(view.SortColumn);
        Assert.Equal("none", view.AriaSort("name"));
    }

    [Fact]
    public void Sorting_another_column_replaces_the_sort_and_starts_it_ascending()
    {
        var view = NewView();
        IReadOnlyList<Row> items = [new(1, "a", Flag: true), new(2, "b"), new(3, "c", Flag: true)];
        view.SortBy("name");
        view.SortBy("name");

        view.SortBy("flag");

        Assert.Equal([2, 1, 3], Ids(view.Show(items)));
        Assert.Equal(("none", "ascending"), (view.AriaSort("name"), view.AriaSort("flag")));
    }

    [Fact]
    public void Text_sorts_as_people_of_the_ui_language_read_it_with_accented_and_capital_letters_beside_plain_ones()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("pt-BR");
        try
        {
            var view = NewView();
            IReadOnlyList<Row> items = [new(1, "Zélia"), new(2, "álvaro"), new(3, "Bruno"), new(4, "Ana")];

            view.SortBy("name");

            Assert.Equal([2, 4, 3, 1], Ids(view.Show(items)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Only_the_columns_made_sortable_can_be_sorted()
    {
        var view = NewView();

        view.SortBy("name");
        Assert.Throws<ArgumentException>(() => view.SortBy("procedures"));
        Assert.Equal("name", view.SortColumn);
    }

    [Fact]
    public void A_page_size_the_grid_does_not_offer_is_ignored()
    {
        var view = NewView();
        view.PageSize = 25;

        view.PageSize = 0;
        view.PageSize = 7;
        view.PageSize = 1_000_000;

        Assert.Equal(25, view.PageSize);
        Assert.Equal(25, view.Show(Hundred).Rows.Count);
    }
}
