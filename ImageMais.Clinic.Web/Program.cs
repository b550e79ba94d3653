using ImageMais.Clinic;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Components;
using ImageMais.Clinic.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddClinicDatabase();
builder.Services.AddClinicFeatures();
builder.Services.AddAccessTokenAuthentication();
builder.AddStaffSignIn();
builder.AddClinicWeb();

var app = builder.Build();

await app.PrepareDatabaseAsync();
await app.PrepareStaffSignInAsync();
await app.SeedDemoDataAsync();

app.UseClinicWeb();
app.MapStaffSignIn();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
