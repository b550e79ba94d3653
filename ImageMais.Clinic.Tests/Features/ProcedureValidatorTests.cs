using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Procedures;

namespace ImageMais.Clinic.Tests.Features;

public sealed class ProcedureValidatorTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("100")]
    [InlineData("110.5")]
    [InlineData("110.50")]
    [InlineData("0.01")]
    [InlineData("99999999.99")]
    [InlineData("12.300")]
    public void A_price_from_zero_to_99_999_999_99_with_at_most_two_decimals_is_accepted(string price)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        var result = ProcedureValidator.Validate("Ultrassom: Tireoide", value);

        Assert.True(result.Succeeded);
        Assert.Equal(value, result.Value.Price);
        Assert.True(ProcedureValidator.IsValidPrice(value));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("-100")]
    [InlineData("0.001")]
    [InlineData("110.555")]
    [InlineData("100000000")]
    [InlineData("99999999.991")]
    [InlineData("100000000.00")]
    public void A_negative_price_a_third_decimal_or_more_than_99_999_999_99_is_refused(string price)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        AssertRefused(ProcedureValidator.Validate("Ultrassom: Tireoide", value), "price");
        Assert.False(ProcedureValidator.IsValidPrice(value));
    }

    [Fact]
    public void The_largest_price_is_what_decimal_10_2_holds()
    {
        Assert.Equal(99_999_999.99m, Procedure.MaxPrice);
    }

    [Fact]
    public void The_name_is_trimmed_and_kept_with_its_accents()
    {
        Assert.Equal("Ressonância: Crânio", ProcedureValidator.Validate("  Ressonância: Crânio \t", 350m).Value.Name);
    }

    [Theory]
    [InlineData(null, "name")]
    [InlineData("", "name")]
    [InlineData("   ", "name")]
    public void A_missing_name_is_refused(string? name, string field)
    {
        AssertRefused(ProcedureValidator.Validate(name, 10m), field);
    }

    [Fact]
    public void A_name_of_200_characters_is_accepted_and_one_more_is_refused()
    {
        Assert.True(ProcedureValidator.Validate(new string('x', 200), 10m).Succeeded);
        AssertRefused(ProcedureValidator.Validate(new string('x', 201), 10m), "name");
    }

    [Fact]
    public void A_missing_price_is_refused()
    {
        AssertRefused(ProcedureValidator.Validate("Raio-X", null), "price");
    }

    [Fact]
    public void Both_fields_are_reported_at_once()
    {
        AssertRefused(ProcedureValidator.Validate(" ", -1m), "name", "price");
    }

    private static void AssertRefused<T>(Result<T> result, params string[] fields)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(fields.Order(), result.Failure.Errors!.Keys.Order());
    }
}
