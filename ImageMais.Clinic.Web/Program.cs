using ImageMais.Clinic;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Cli;
using ImageMais.Clinic.Web.Components;
using ImageMais.Clinic.Web.Endpoints;
using ImageMais.Clinic.Web.Hosting;
using ImageMais.Clinic.Web.Realtime;

// Ops commands (`accounts create`, `tokens issue`, …) run instead of the web app, before its host is built,
// so their arguments never reach the web configuration.
if (ClinicCli.IsCommand(args))
{
    Environment.ExitCode = await ClinicCli.RunAsync(args);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddClinicDatabase();
builder.Services.AddClinicFeatures();
builder.Services.AddAccessTokenAuthentication();
builder.AddStaffSignIn();
builder.AddClinicWeb();
builder.Services.AddClinicApi();
builder.AddClinicRealtime();
builder.AddClinicScaleOut();
builder.AddClinicOperations();

var app = builder.Build();

await app.PrepareDatabaseAsync();
await app.PrepareStaffSignInAsync();
await app.SeedDemoDataAsync();

app.UseClinicForwardedHeaders();
app.UseClinicWeb();
app.UseClinicRequestPolicies();
app.MapClinicHealth();
app.MapStaffSignIn();
app.MapStaticAssets();
app.MapClinicTheme();
app.MapClinicApi();
app.MapClinicRealtime();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
