using ImageMais.Clinic.Domain;

namespace ImageMais.Clinic.Features.Doctors;

/// <summary>A doctor that passed <see cref="DoctorValidator"/>, in the form it is stored.</summary>
public sealed record ValidDoctor(string Name, string Crm, string Email, string Phone, bool IsBusy, IReadOnlyList<int> ProcedureIds);

/// <summary>
/// The rules of a doctor's own fields, shared by the API and the browser app. Whether the procedures exist in
/// the account and whether the CRM is free are checked by <see cref="DoctorService"/> against the database.
/// </summary>
public static class DoctorValidator
{
    public static Result<ValidDoctor> Validate(DoctorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new ValidationErrors();

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", Messages.NameRequired);
        }
        else if (name.Length > Doctor.NameMaxLength)
        {
            errors.Add("name", string.Format(Messages.NameTooLong, Doctor.NameMaxLength));
        }

        string? crm = null;
        if (string.IsNullOrWhiteSpace(input.Crm))
        {
            errors.Add("crm", Messages.CrmRequired);
        }
        else if (!BrazilianRules.TryNormalizeCrm(input.Crm, out crm))
        {
            errors.Add("crm", Messages.CrmInvalid);
        }

        string? email = null;
        if (string.IsNullOrWhiteSpace(input.Email))
        {
            errors.Add("email", Messages.EmailRequired);
        }
        else if (!BrazilianRules.TryNormalizeEmail(input.Email, out email))
        {
            errors.Add("email", Messages.EmailInvalid);
        }

        string? phone = null;
        if (string.IsNullOrWhiteSpace(input.Phone))
        {
            errors.Add("phone", Messages.PhoneRequired);
        }
        else if (!BrazilianRules.TryNormalizePhone(input.Phone, out phone))
        {
            errors.Add("phone", Messages.PhoneInvalid);
        }

        var procedureIds = input.ProcedureIds ?? [];
        if (procedureIds.Any(id => id <= 0))
        {
            errors.Add("procedureIds", Messages.ProcedureIdsInvalid);
        }

        return errors.Any
            ? errors.ToFailure()
            : new ValidDoctor(name, crm!, email!, phone!, input.IsBusy ?? false, [.. procedureIds.Distinct()]);
    }
}
