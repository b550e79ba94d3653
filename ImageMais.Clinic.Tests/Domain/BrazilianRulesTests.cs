using ImageMais.Clinic.Domain;

namespace ImageMais.Clinic.Tests.Domain;

public sealed class BrazilianRulesTests
{
    [Theory]
    [InlineData("12345", "12345")]
    [InlineData("1", "1")]
    [InlineData("12345678", "12345678")]
    [InlineData("123456/PE", "123456/PE")]
    [InlineData("123456/pe", "123456/PE")]
    [InlineData("  52123 / sp  ", "52123/SP")]
    [InlineData("007", "007")]
    [InlineData("10/DF", "10/DF")]
    public void A_CRM_of_one_to_eight_digits_with_an_optional_state_is_accepted(string input, string expected)
    {
        Assert.True(BrazilianRules.TryNormalizeCrm(input, out var crm));
        Assert.Equal(expected, crm);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("00000000")]
    [InlineData("000/PE")]
    [InlineData("123456789")]
    [InlineData("12a45")]
    [InlineData("12.345")]
    [InlineData("-12345")]
    [InlineData("123456/XX")]
    [InlineData("123456/P")]
    [InlineData("123456/PEE")]
    [InlineData("123456/")]
    [InlineData("PE/123456")]
    [InlineData("CRM 123456")]
    [InlineData("١٢٣")]
    public void A_CRM_that_breaks_the_rules_is_refused(string? input)
    {
        Assert.False(BrazilianRules.TryNormalizeCrm(input, out var crm));
        Assert.Null(crm);
    }

    [Fact]
    public void Every_one_of_the_27_state_codes_is_accepted_after_a_CRM()
    {
        Assert.Equal(27, BrazilianRules.StateCodes.Count);
        Assert.All(BrazilianRules.StateCodes, uf => Assert.True(BrazilianRules.TryNormalizeCrm($"1234/{uf}", out _), uf));
    }

    [Theory]
    [InlineData("(81) 99999-9999", "(81) 99999-9999")]
    [InlineData("81999999999", "(81) 99999-9999")]
    [InlineData("(81) 3333-4444", "(81) 3333-4444")]
    [InlineData("8133334444", "(81) 3333-4444")]
    [InlineData("11 2345-6789", "(11) 2345-6789")]
    [InlineData("(21) 4002.8922", "(21) 4002-8922")]
    [InlineData("(61) 5555-0000", "(61) 5555-0000")]
    [InlineData("+55 (81) 99999-9999", "(81) 99999-9999")]
    [InlineData("+55 11 98765-4321", "(11) 98765-4321")]
    [InlineData("  (99) 91234-5678  ", "(99) 91234-5678")]
    public void A_phone_with_a_real_area_code_is_accepted_and_formatted(string input, string expected)
    {
        Assert.True(BrazilianRules.TryNormalizePhone(input, out var phone));
        Assert.Equal(expected, phone);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("(20) 99999-9999")]
    [InlineData("(23) 3333-4444")]
    [InlineData("(10) 99999-9999")]
    [InlineData("(00) 3333-4444")]
    [InlineData("(50) 3333-4444")]
    [InlineData("(81) 89999-9999")]
    [InlineData("(81) 1333-4444")]
    [InlineData("(81) 6333-4444")]
    [InlineData("(81) 9333-4444")]
    [InlineData("(81) 99999-999")]
    [InlineData("(81) 99999-99999")]
    [InlineData("999999999")]
    [InlineData("+1 (81) 99999-9999")]
    [InlineData("5581999999999")]
    [InlineData("(81) 99999-9999 ramal 2")]
    [InlineData("(81) 9999a-9999")]
    [InlineData("81 99999+9999")]
    [InlineData("+55 81 3333-44444")]
    public void A_phone_without_a_real_area_code_or_a_valid_number_is_refused(string? input)
    {
        Assert.False(BrazilianRules.TryNormalizePhone(input, out var phone));
        Assert.Null(phone);
    }

    [Fact]
    public void Every_area_code_in_use_is_accepted_and_no_other()
    {
        var inUse = new[]
        {
            11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38,
            41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69,
            71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
        };

        for (var ddd = 0; ddd <= 99; ddd++)
        {
            Assert.Equal(inUse.Contains(ddd), BrazilianRules.TryNormalizePhone($"{ddd:00}987654321", out _));
        }
    }

    [Theory]
    [InlineData("joao.silva@example.com", "joao.silva@example.com")]
    [InlineData("  Maria.Souza+agenda@clinica.com.br ", "Maria.Souza+agenda@clinica.com.br")]
    [InlineData("a@b.co", "a@b.co")]
    [InlineData("recepcao@sub.dominio-saude.org.br", "recepcao@sub.dominio-saude.org.br")]
    public void A_plain_email_address_is_accepted_as_sent_less_surrounding_spaces(string input, string expected)
    {
        Assert.True(BrazilianRules.TryNormalizeEmail(input, out var email));
        Assert.Equal(expected, email);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("joao")]
    [InlineData("joao@")]
    [InlineData("@example.com")]
    [InlineData("joao@example")]
    [InlineData("joao silva@example.com")]
    [InlineData("joao@@example.com")]
    [InlineData("joao@example..com")]
    [InlineData("joao@-example.com")]
    [InlineData("João <joao@example.com>")]
    [InlineData("joao@example.com, maria@example.com")]
    [InlineData("\"joao\"@example.com")]
    public void A_malformed_email_address_is_refused(string? input)
    {
        Assert.False(BrazilianRules.TryNormalizeEmail(input, out var email));
        Assert.Null(email);
    }

    [Fact]
    public void An_email_address_longer_than_254_characters_is_refused()
    {
        var longest = $"{new string('a', 64)}@{new string('b', 60)}.{new string('c', 60)}.{new string('d', 63)}.com";
        Assert.Equal(254, longest.Length);

        Assert.True(BrazilianRules.TryNormalizeEmail(longest, out _));
        Assert.False(BrazilianRules.TryNormalizeEmail("a" + longest, out _));
    }
}
