using ImageMais.Clinic.Features.Users;

namespace ImageMais.Clinic.Tests.Features.Users;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("Recife2025x")]
    [InlineData("Abcdefghi1")]
    [InlineData("São Paulo 1554")]
    public void A_password_of_ten_characters_or_more_with_upper_lower_and_digit_is_accepted(string password)
    {
        Assert.Null(PasswordPolicy.Check(password));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Abcdefgh1")]
    [InlineData("Ab1")]
    public void A_password_shorter_than_ten_characters_is_refused(string? password)
    {
        Assert.False(string.IsNullOrWhiteSpace(PasswordPolicy.Check(password)));
    }

    [Theory]
    [InlineData("abcdefghij1")]
    [InlineData("ABCDEFGHIJ1")]
    [InlineData("Abcdefghijk")]
    [InlineData("1234567890!")]
    public void A_password_missing_an_upper_case_letter_a_lower_case_letter_or_a_digit_is_refused(string password)
    {
        Assert.False(string.IsNullOrWhiteSpace(PasswordPolicy.Check(password)));
    }

    [Fact]
    public void Generated_passwords_pass_the_policy_have_16_characters_no_look_alikes_and_differ()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => PasswordPolicy.Generate()).ToList();

        Assert.All(passwords, password =>
        {
            Assert.Equal(16, password.Length);
            Assert.Null(PasswordPolicy.Check(password));
            Assert.DoesNotContain(password, c => "0O1lI".Contains(c, StringComparison.Ordinal));
            Assert.Contains(password, c => "!@#$%&*?".Contains(c, StringComparison.Ordinal));
        });
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
    }
}
