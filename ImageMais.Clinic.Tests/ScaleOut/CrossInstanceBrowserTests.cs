using ImageMais.Clinic.Tests.Browser;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.ScaleOut;

/// <summary>A Blazor tab on one instance follows changes made on the other, through Redis.</summary>
public sealed class CrossInstanceBrowserTests(TwoInstances instances, BrowserFixture browser) : BrowserTest(browser), IClassFixture<TwoInstances>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_doctors_tab_on_one_instance_shows_a_doctor_created_through_the_api_of_the_other()
    {
        var clinic = await instances.A.CreateAccountAsync();
        var token = (await instances.A.IssueTokenAsync(clinic.AccountId)).Token;
        var tabOnB = await Browser.NewPageAsync();
        await tabOnB.SignInAsync(instances.B.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/doctors");
        await tabOnB.GetByTestId("doctors-grid").WaitForAsync();
        await instances.WhenSubscribedAsync();

        var created = await CrossInstanceDeliveryTests.PostDoctorAsync(instances.A, token);

        await Assertions.Expect(tabOnB.DoctorRow((string)created["crm"]!)).ToBeVisibleAsync();
        await Assertions.Expect(tabOnB.DoctorRow((string)created["crm"]!)).ToContainTextAsync((string)created["name"]!);
    }
}
