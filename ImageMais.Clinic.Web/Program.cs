using ImageMais.Clinic;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Components;
using ImageMais.Clinic.Web.Endpoints;
using ImageMais.Clinic.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddClinicDatabase();
builder.Services.AddClinicFeatures();
builder.Services.AddAccessTokenAuthentication();
builder.AddClinicWeb();
builder.Services.AddClinicApi();

var app = builder.Build();

await app.PrepareDatabaseAsync();

app.UseClinicWeb();
app.MapStaticAssets();
app.MapClinicApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
