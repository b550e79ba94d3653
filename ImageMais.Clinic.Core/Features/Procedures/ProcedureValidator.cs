using ImageMais.Clinic.Domain;

namespace ImageMais.Clinic.Features.Procedures;

/// <summary>The rules of a procedure, shared by the API and the browser app.</summary>
public static class ProcedureValidator
{
    /// <summary>Checks a complete procedure; on success gives the values to store.</summary>
    public static Result<(string Name, decimal Price)> Validate(string? name, decimal? price)
    {
        var errors = new ValidationErrors();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add("name", Messages.NameRequired);
        }
        else if (trimmed.Length > Procedure.NameMaxLength)
        {
            errors.Add("name", string.Format(Messages.NameTooLong, Procedure.NameMaxLength));
        }

        if (price is null)
        {
            errors.Add("price", Messages.PriceRequired);
        }
        else if (!IsValidPrice(price.Value))
        {
            errors.Add("price", Messages.PriceInvalid);
        }

        return errors.Any ? errors.ToFailure() : (trimmed, price!.Value);
    }

    public static bool IsValidPrice(decimal price) =>
        price >= 0 && price <= Procedure.MaxPrice && decimal.Round(price, 2) == price;
}
