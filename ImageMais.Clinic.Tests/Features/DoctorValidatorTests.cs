using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;

namespace ImageMais.Clinic.Tests.Features;

public sealed class DoctorValidatorTests
{
    private static readonly DoctorInput Valid = new("Dr. João Silva", "12345", "joao.silva@example.com", "81999999999", null, [3, 1]);

    [Fact]
    public void A_valid_doctor_comes_back_trimmed_and_normalized()
    {
        var result = DoctorValidator.Validate(Valid with { Name = "  Dr. João Silva ", Crm = " 123456/pe ", Email = " joao.silva@example.com " });

        Assert.True(result.Succeeded);
        var doctor = result.Value!;
        Assert.Equal(
            ("Dr. João Silva", "123456/PE", "joao.silva@example.com", "(81) 99999-9999", false),
            (doctor.Name, doctor.Crm, doctor.Email, doctor.Phone, doctor.IsBusy));
        Assert.Equal([3, 1], doctor.ProcedureIds);
    }

    [Fact]
    public void Busy_is_kept_and_repeated_procedure_ids_count_once()
    {
        var result = DoctorValidator.Validate(Valid with { IsBusy = true, ProcedureIds = [2, 2, 5, 2] });

        Assert.True(result.Value!.IsBusy);
        Assert.Equal([2, 5], result.Value.ProcedureIds);
    }

    [Fact]
    public void No_procedures_is_a_valid_doctor()
    {
        Assert.Empty(DoctorValidator.Validate(Valid with { ProcedureIds = null }).Value!.ProcedureIds);
    }

    [Fact]
    public void A_name_of_200_characters_is_accepted_and_one_more_is_refused()
    {
        Assert.True(DoctorValidator.Validate(Valid with { Name = new string('é', 200) }).Succeeded);
        AssertRefused(Valid with { Name = new string('é', 201) }, "name");
    }

    public static TheoryData<DoctorInput, string[]> Invalid => new()
    {
        { Valid with { Name = null }, ["name"] },
        { Valid with { Name = "   " }, ["name"] },
        { Valid with { Crm = null }, ["crm"] },
        { Valid with { Crm = "0000" }, ["crm"] },
        { Valid with { Crm = "12345/ZZ" }, ["crm"] },
        { Valid with { Email = "" }, ["email"] },
        { Valid with { Email = "joao@" }, ["email"] },
        { Valid with { Phone = null }, ["phone"] },
        { Valid with { Phone = "(20) 99999-9999" }, ["phone"] },
        { Valid with { ProcedureIds = [1, 0] }, ["procedureIds"] },
        { Valid with { ProcedureIds = [-4] }, ["procedureIds"] },
        { new DoctorInput(), ["name", "crm", "email", "phone"] },
        { new DoctorInput(" ", "abc", "x", "123", true, [0]), ["name", "crm", "email", "phone", "procedureIds"] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Every_broken_rule_is_reported_under_its_field(DoctorInput input, string[] fields)
    {
        AssertRefused(input, fields);
    }

    private static void AssertRefused(DoctorInput input, params string[] fields)
    {
        var result = DoctorValidator.Validate(input);

        Assert.False(result.Succeeded);
        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(fields.Order(), result.Failure.Errors!.Keys.Order());
        Assert.All(result.Failure.Errors.Values, messages => Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m))));
    }
}
