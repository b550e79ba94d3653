using System.Net;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Browser;
using ImageMais.Clinic.Tests.Realtime;
using ImageMais.Clinic.Tests.Support;
using Microsoft.Playwright;

namespace ImageMais.Clinic.Tests.ScaleOut;

/// <summary>A Blazor tab on one instance keeps following changes made on the other while Redis is down, and after it returns (its own fixture: it stops Redis).</summary>
public sealed class RedisOutageBrowserTests(TwoInstances instances, BrowserFixture browser) : BrowserTest(browser), IClassFixture<TwoInstances>, IClassFixture<BrowserFixture>
{
    private ScaleOutApp A => instances.A;

    private ScaleOutApp B => instances.B;

    [Fact]
    public async Task While_Redis_is_down_a_doctors_tab_on_one_instance_shows_a_doctor_created_through_the_other_within_two_seconds_and_once_Redis_is_back_the_next_one_once()
    {
        var clinic = await A.CreateAccountAsync();
        var token = (await A.IssueTokenAsync(clinic.AccountId)).Token;
        var tabOnB = await Browser.NewPageAsync();
        await tabOnB.SignInAsync(B.BaseAddress, clinic.MasterEmail, clinic.MasterPassword, "/doctors");
        await tabOnB.GetByTestId("doctors-grid").WaitForAsync();
        await Eventually.UntilAsync(
            () => B.GetService<AccountEventFeed>().SubscriptionCountFor(clinic.AccountId) > 0,
            HubListener.Timeout,
            "the tab on B follows its clinic's events");

        await instances.Redis.StopAsync();
        await TwoInstances.WhenReadinessIsAsync(A, HttpStatusCode.ServiceUnavailable);
        var duringOutage = (string)(await CrossInstanceDeliveryTests.PostDoctorAsync(A, token))["crm"]!;

        await Assertions.Expect(tabOnB.DoctorRow(duringOutage)).ToBeVisibleAsync(new() { Timeout = 2_000 });

        await instances.Redis.StartAgainAsync();
        await TwoInstances.WhenReadinessIsAsync(A, HttpStatusCode.OK);
        await TwoInstances.WhenReadinessIsAsync(B, HttpStatusCode.OK);
        await instances.WhenSubscribedAsync();
        var afterOutage = (string)(await CrossInstanceDeliveryTests.PostDoctorAsync(A, token))["crm"]!;

        await Assertions.Expect(tabOnB.DoctorRow(afterOutage)).ToBeVisibleAsync();
        await Assertions.Expect(tabOnB.DoctorRow(afterOutage)).ToHaveCountAsync(1);
        await Assertions.Expect(tabOnB.DoctorRow(duringOutage)).ToHaveCountAsync(1);
        await Assertions.Expect(tabOnB.DoctorNames()).ToHaveCountAsync(2);
    }
}
