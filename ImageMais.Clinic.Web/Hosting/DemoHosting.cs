using ImageMais.Clinic.Features.Demo;

namespace ImageMais.Clinic.Web.Hosting;

/// <summary>The demo clinic: in Development, or anywhere with <c>Seed:Demo=true</c>.</summary>
public static class DemoHosting
{
    public static async Task SeedDemoDataAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Seed:Demo", app.Environment.IsDevelopment()))
        {
            return;
        }

        var demo = ActivatorUtilities.CreateInstance<DemoData>(app.Services);

        // Each user is printed as soon as it exists: the passwords are stored only as hashes.
        var accountId = await demo.EnsureAsync(
            user => Console.Out.WriteLine($"Demo clinic \"{DemoData.AccountName}\", {user.Role}: {user.Email}  password: {user.Password}"),
            app.Lifetime.ApplicationStopping);
        app.Logger.LogInformation("Demo clinic {AccountName} is account {AccountId}", DemoData.AccountName, accountId);
    }
}
