using System.Net;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Tests.Support;
using static ImageMais.Clinic.Tests.Api.ApiTestKit;

namespace ImageMais.Clinic.Tests.Api;

/// <summary>
/// The field rules of a doctor (Brazilian practice), through the API: what is accepted and how it is
/// stored, and what is refused with a 400 under the field's name without writing anything.
/// </summary>
public sealed class DoctorFieldRulesTests(ApiAccountApp app) : IClassFixture<ApiAccountApp>
{
    private readonly ApiAccount _account = app.Account;

    [Theory]
    [InlineData("1", "1")]
    [InlineData("12345", "12345")]
    [InlineData("12345678", "12345678")]
    [InlineData("00012345", "00012345")]
    [InlineData("123456/PE", "123456/PE")]
    [InlineData("123456/pe", "123456/PE")]
    [InlineData(" 123456 / DF ", "123456/DF")]
    [InlineData("98765/TO", "98765/TO")]
    public async Task A_crm_of_1_to_8_digits_optionally_with_a_state_is_accepted(string crm, string stored)
    {
        var doctor = await CreateAndDiscardAsync(DoctorBody(crm: crm));

        Assert.Equal(stored, doctor["crm"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(StateCodes))]
    public async Task Every_one_of_the_27_state_codes_is_accepted(string uf)
    {
        var doctor = await CreateAndDiscardAsync(DoctorBody(crm: "4321/" + uf));

        Assert.Equal("4321/" + uf, doctor["crm"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("00000000")]
    [InlineData("123456789")]
    [InlineData("12a45")]
    [InlineData("-1234")]
    [InlineData("12.345")]
    [InlineData("123456/XX")]
    [InlineData("123456/P")]
    [InlineData("123456/PER")]
    [InlineData("123456/")]
    [InlineData("/PE")]
    [InlineData("PE/123456")]
    [InlineData("CRM 123456")]
    public async Task A_crm_outside_the_rules_is_rejected(string crm) =>
        await AssertRejectedAsync(DoctorBody(crm: crm), "crm");

    [Theory]
    [InlineData("(81) 3333-4444", "(81) 3333-4444")]
    [InlineData("8133334444", "(81) 3333-4444")]
    [InlineData("81 2222-0000", "(81) 2222-0000")]
    [InlineData("(11) 5555-1234", "(11) 5555-1234")]
    [InlineData("(81) 99999-9999", "(81) 99999-9999")]
    [InlineData("81999999999", "(81) 99999-9999")]
    [InlineData("(61) 91234-5678", "(61) 91234-5678")]
    [InlineData("+55 21 98765-4321", "(21) 98765-4321")]
    [InlineData("  (99) 3222-1111  ", "(99) 3222-1111")]
    public async Task A_phone_with_a_real_area_code_is_accepted_and_formatted(string phone, string stored)
    {
        var doctor = await CreateAndDiscardAsync(DoctorBody(phone: phone));

        Assert.Equal(stored, doctor["phone"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("(20) 3333-4444")]
    [InlineData("(10) 99999-9999")]
    [InlineData("(23) 3333-4444")]
    [InlineData("(00) 3333-4444")]
    [InlineData("(81) 6333-4444")]
    [InlineData("(81) 1333-4444")]
    [InlineData("(81) 0333-4444")]
    [InlineData("(81) 89999-9999")]
    [InlineData("(81) 9999-9999")]
    [InlineData("(81) 999999-9999")]
    [InlineData("333-4444")]
    [InlineData("33334444")]
    [InlineData("+1 81 3333-4444")]
    [InlineData("(81) 3333-444x")]
    public async Task A_phone_outside_the_rules_is_rejected(string phone) =>
        await AssertRejectedAsync(DoctorBody(phone: phone), "phone");

    [Theory]
    [InlineData("joao.silva@example.com")]
    [InlineData("maria+agenda@clinica.med.br")]
    [InlineData("  dr.ana@hospital.org  ")]
    public async Task A_valid_e_mail_is_accepted_without_surrounding_spaces(string email)
    {
        var doctor = await CreateAndDiscardAsync(DoctorBody(email: email));

        Assert.Equal(email.Trim(), doctor["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("joao")]
    [InlineData("joao@")]
    [InlineData("@example.com")]
    [InlineData("joao@example")]
    [InlineData("joao silva@example.com")]
    [InlineData("joao@@example.com")]
    [InlineData("João <joao@example.com>")]
    [InlineData("joao@example..com")]
    public async Task An_invalid_e_mail_is_rejected(string email) =>
        await AssertRejectedAsync(DoctorBody(email: email), "email");

    [Fact]
    public async Task A_name_is_stored_as_sent_with_its_accents_less_surrounding_whitespace()
    {
        var doctor = await CreateAndDiscardAsync(DoctorBody(name: "  Dra. Conceição Araújo Ñandú  "));

        Assert.Equal("Dra. Conceição Araújo Ñandú", doctor["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_name_may_have_200_characters_after_trimming()
    {
        var name = new string('ç', 200);

        var doctor = await CreateAndDiscardAsync(DoctorBody(name: "   " + name + "\t"));

        Assert.Equal(name, doctor["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public async Task An_empty_name_is_rejected(string name) =>
        await AssertRejectedAsync(DoctorBody(name: name), "name");

    [Fact]
    public async Task A_name_over_200_characters_is_rejected() =>
        await AssertRejectedAsync(DoctorBody(name: new string('a', 201)), "name");

    [Fact]
    public async Task A_null_field_is_missing() =>
        await AssertRejectedAsync(new JsonObject { ["name"] = null, ["crm"] = null, ["email"] = null, ["phone"] = null }, "name", "crm", "email", "phone");

    [Fact]
    public async Task The_same_rules_hold_when_replacing_and_patching()
    {
        var doctor = await _account.Client.CreateDoctorAsync();
        var before = await _account.Client.SnapshotAsync();

        using var put = await _account.Client.PutAsync($"/api/doctors/{doctor["id"]}", Json(DoctorBody(crm: "0", phone: "123", email: "x", name: " ")));
        using var patch = await _account.Client.PatchAsync($"/api/doctors/{doctor["id"]}", Json(new JsonObject { ["phone"] = "(81) 6333-4444" }));

        await AssertInvalidAsync(put, "name", "crm", "email", "phone");
        await AssertInvalidAsync(patch, "phone");
        Assert.Equal(before, await _account.Client.SnapshotAsync());
        await _account.Client.DeleteAsync($"/api/doctors/{doctor["id"]}");
    }

    public static TheoryData<string> StateCodes() =>
    [
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
        "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    ];

    private async Task<JsonObject> CreateAndDiscardAsync(JsonObject body)
    {
        var doctor = await _account.Client.CreateDoctorAsync(body);
        using var deleted = await _account.Client.DeleteAsync($"/api/doctors/{doctor["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        return doctor;
    }

    private async Task AssertRejectedAsync(JsonObject body, params string[] fields)
    {
        var before = await _account.Client.SnapshotAsync();

        using var response = await _account.Client.PostAsync("/api/doctors", Json(body));

        await AssertInvalidAsync(response, fields);
        Assert.Equal(before, await _account.Client.SnapshotAsync());
    }
}
