using System.Globalization;
using System.Text;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace ImageMais.Clinic.Web.Components.Pages.Doctors;

/// <summary>
/// The cells of a doctor's row in the Doctors grid, as one piece of markup in MudBlazor's table classes. Its
/// switch and buttons name their action in <c>data-grid-action</c> (busy, edit, delete), handled by the page's
/// one <c>@ongridaction</c> handler (see <see cref="GridActionEventArgs"/>).
/// </summary>
public static class DoctorCells
{
    private static readonly string EditIcon = SvgIcon.Of(Icons.Material.Filled.Edit, "mud-icon-size-small").Value;
    private static readonly string DeleteIcon = SvgIcon.Of(Icons.Material.Filled.Delete, "mud-icon-size-small").Value;

    /// <summary>The cells of <paramref name="doctor"/>'s row, in the current UI language, times in <paramref name="time"/>'s zone.</summary>
    public static MarkupString Render(DoctorDto doctor, BrowserTime time, IStringLocalizer<UiText> text)
    {
        var html = new StringBuilder(1600);
        Cell(html, text["Field.Name"], "doctor-name").Append(GridMarkup.Encode(doctor.Name)).Append("</td>");
        Cell(html, text["Field.Crm"], "doctor-crm").Append(GridMarkup.Encode(doctor.Crm)).Append("</td>");
        Cell(html, text["Field.Email"]).Append(GridMarkup.Encode(doctor.Email)).Append("</td>");
        Cell(html, text["Field.Phone"]).Append(GridMarkup.Encode(doctor.Phone)).Append("</td>");

        // The controls' accessible names say which doctor they act on: a screen reader lists them out of their row.
        Cell(html, text["Field.Busy"])
            .Append("""<input type="checkbox" role="switch" class="clinic-switch" """).Append(doctor.IsBusy ? "checked " : "")
            .Append("aria-label=\"").Append(GridMarkup.Encode(text["Doctors.BusyOf", doctor.Name])).Append('"')
            .Append(" data-testid=\"doctor-busy\" data-grid-action=\"busy\" data-id=\"").Append(Id(doctor)).Append("\" /></td>");

        Cell(html, text["Field.Procedures"]);
        foreach (var link in doctor.DoctorProcedures)
        {
            html.Append("""<span class="clinic-chip" data-testid="doctor-procedure">""").Append(GridMarkup.Encode(link.Procedure.Name)).Append("</span>");
        }

        html.Append("</td>");
        Cell(html, text["Field.UpdatedAt"]).Append(GridMarkup.Encode(time.Format(doctor.UpdatedAt))).Append("</td>");

        html.Append("""<td class="mud-table-cell clinic-nowrap">""");
        Button(html, "mud-button-root mud-icon-button mud-icon-button-size-small", text["Action.Edit"], text["Doctors.EditOf", doctor.Name], "edit-doctor", "edit", Id(doctor), EditIcon);
        Button(html, "mud-button-root mud-icon-button mud-error-text mud-icon-button-size-small", text["Action.Delete"], text["Doctors.DeleteOf", doctor.Name], "delete-doctor", "delete", Id(doctor), DeleteIcon);
        html.Append("</td>");
        return new MarkupString(html.ToString());
    }

    private static string Id(DoctorDto doctor) => doctor.Id.ToString(CultureInfo.InvariantCulture);

    private static StringBuilder Cell(StringBuilder html, string label, string? testId = null)
    {
        html.Append("<td class=\"mud-table-cell\" data-label=\"").Append(GridMarkup.Encode(label)).Append('"');
        if (testId is not null)
        {
            html.Append(" data-testid=\"").Append(testId).Append('"');
        }

        return html.Append('>');
    }

    private static void Button(StringBuilder html, string classes, string title, string label, string testId, string action, string id, string icon)
    {
        html.Append("<button type=\"button\" class=\"").Append(classes).Append("\" aria-label=\"").Append(GridMarkup.Encode(label)).Append("\" title=\"").Append(GridMarkup.Encode(title))
            .Append("\" data-testid=\"").Append(testId).Append("\" data-grid-action=\"").Append(action).Append("\" data-id=\"").Append(id).Append("\">")
            .Append(icon).Append("</button>");
    }
}
