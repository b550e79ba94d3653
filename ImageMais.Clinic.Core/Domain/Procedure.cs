namespace ImageMais.Clinic.Domain;

/// <summary>An imaging procedure a clinic offers (e.g. "Ultrassom: Tireoide"), with its price in reais.</summary>
public sealed class Procedure : IAccountOwned
{
    public const int NameMaxLength = 200;

    /// <summary>Prices are stored as decimal(10,2): at most 99,999,999.99.</summary>
    public const decimal MaxPrice = 99_999_999.99m;

    public int Id { get; set; }

    public int AccountId { get; set; }

    public required string Name { get; set; }

    public decimal Price { get; set; }
}
