using System.Globalization;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Features.Procedures;
using Microsoft.AspNetCore.Components;

namespace ImageMais.Clinic.Web.Components.Pages.Doctors;

/// <summary>
/// A doctor of a clinic's live list, with its grid cells as markup, built once per language and time zone and
/// then shared by every tab of the clinic that shows the row: a tab's render tree holds one markup frame per
/// row instead of some seventy frames, attributes and event handlers.
/// </summary>
public sealed class DoctorRow(DoctorDto doctor)
{
    // Few tabs of one clinic differ in language or time zone: the last few variants are kept, newest first.
    private const int KeptVariants = 4;
    private volatile Variant[] _variants = [];

    public DoctorDto Doctor { get; } = doctor;

    /// <summary>
    /// The row's cells for the current culture and <paramref name="zone"/>, built by <paramref name="render"/>
    /// the first time they are asked for.
    /// </summary>
    public MarkupString Cells(TimeZoneInfo zone, Func<DoctorDto, MarkupString> render)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        foreach (var variant in _variants)
        {
            if (variant.Culture == culture.Name && variant.UiCulture == uiCulture.Name && variant.Zone == zone.Id)
            {
                return variant.Cells;
            }
        }

        var built = new Variant(culture.Name, uiCulture.Name, zone.Id, render(Doctor));
        var variants = _variants;
        _variants = [built, .. variants.Take(KeptVariants - 1)];
        return built.Cells;
    }

    /// <summary>This row with <paramref name="procedure"/>'s new name and price on its chips (itself when the doctor does not perform it).</summary>
    public DoctorRow WithProcedure(ProcedureDto procedure) =>
        Doctor.DoctorProcedures.Any(dp => dp.Procedure.Id == procedure.Id)
            ? new DoctorRow(Doctor with { DoctorProcedures = [.. Doctor.DoctorProcedures.Select(dp => dp.Procedure.Id == procedure.Id ? dp with { Procedure = procedure } : dp)] })
            : this;

    private sealed record Variant(string Culture, string UiCulture, string Zone, MarkupString Cells);
}
