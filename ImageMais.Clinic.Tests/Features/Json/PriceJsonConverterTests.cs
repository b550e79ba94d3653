using System.Text.Json;
using ImageMais.Clinic.Features.Json;
using ImageMais.Clinic.Features.Procedures;

namespace ImageMais.Clinic.Tests.Features.Json;

public sealed class PriceJsonConverterTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("100", "\"100\"")]
    [InlineData("100.00", "\"100\"")]
    [InlineData("110.5", "\"110.5\"")]
    [InlineData("110.50", "\"110.5\"")]
    [InlineData("0", "\"0\"")]
    [InlineData("0.00", "\"0\"")]
    [InlineData("0.01", "\"0.01\"")]
    [InlineData("99999999.99", "\"99999999.99\"")]
    [InlineData("1000000", "\"1000000\"")]
    public void A_price_is_written_as_an_invariant_string_without_trailing_zeros(string price, string json)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(json, JsonSerializer.Serialize(value, Options()));
    }

    [Fact]
    public void Writing_does_not_depend_on_the_current_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("pt-BR");
        try
        {
            Assert.Equal("\"1234.5\"", JsonSerializer.Serialize(1234.50m, Options()));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("100", "100")]
    [InlineData("110.5", "110.5")]
    [InlineData("0", "0")]
    [InlineData("\"100\"", "100")]
    [InlineData("\"110.5\"", "110.5")]
    [InlineData("\"110.50\"", "110.50")]
    [InlineData("\"0.01\"", "0.01")]
    [InlineData("1.5e2", "150")]
    public void A_price_is_read_from_a_number_or_a_numeric_string(string json, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), JsonSerializer.Deserialize<decimal>(json, Options()));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"110,5\"")]
    [InlineData("\"1,000.00\"")]
    [InlineData("\" 100\"")]
    [InlineData("\"100 \"")]
    [InlineData("\"1e2\"")]
    [InlineData("\"R$ 100\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[100]")]
    [InlineData("{\"value\":100}")]
    [InlineData("1e400")]
    public void Anything_else_is_refused(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<decimal>(json, Options()));
    }

    [Fact]
    public void A_procedure_is_written_with_its_price_as_a_string()
    {
        Assert.Equal(
            """{"id":3699,"name":"Ultrassom: Tireoide","price":"100"}""",
            JsonSerializer.Serialize(new ProcedureDto(3699, "Ultrassom: Tireoide", 100.00m), Web));
    }

    [Theory]
    [InlineData("""{"name":"Raio-X","price":"110.5"}""", "110.5")]
    [InlineData("""{"name":"Raio-X","price":110.5}""", "110.5")]
    [InlineData("""{"name":"Raio-X","price":null}""", null)]
    [InlineData("""{"name":"Raio-X"}""", null)]
    public void A_procedure_input_reads_a_price_or_no_price(string json, string? expected)
    {
        var input = JsonSerializer.Deserialize<ProcedureInput>(json, Web)!;

        Assert.Equal(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), input.Price);
    }

    [Fact]
    public void A_procedure_input_with_a_price_of_the_wrong_type_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProcedureInput>("""{"name":"Raio-X","price":true}""", Web));
    }

    private static JsonSerializerOptions Options() => new() { Converters = { new PriceJsonConverter() } };
}
