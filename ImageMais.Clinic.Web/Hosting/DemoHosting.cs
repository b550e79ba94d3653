using ImageMais.Clinic.Features.Demo;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>The demo clinic (contract §1): in Development, or anywhere with <c>Seed:Demo=true</c>.</summary>
public static class DemoHosting
{
    public static async Task SeedDemoDataAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Seed:Demo", app.Environment.IsDevelopment()))
        {
            return;
        }

        var demo = ActivatorUtilities.CreateInstance<DemoData>(app.Services);
        if (await demo.EnsureAsync(app.Lifetime.ApplicationStopping) is { } created)
        {
            // Printed once, when the users are created: the passwords are stored only as hashes.
            Console.Out.WriteLine($"""

                Demo clinic "{DemoData.AccountName}" created (account {created.AccountId}). Sign in with:
                  master: {created.MasterEmail}  password: {created.MasterPassword}
                  staff:  {created.StaffEmail}  password: {created.StaffPassword}

                """);
        }
    }
}
