using ImageMais.Clinic;
using ImageMais.Clinic.Web.Auth;
using ImageMais.Clinic.Web.Components;
using ImageMais.Clinic.Web.Hosting;
using ImageMais.Clinic.Web.Realtime;

var builder = WebApplication.CreateBuilder(args);

builder.AddClinicDatabase();
builder.Services.AddClinicFeatures();
builder.Services.AddAccessTokenAuthentication();
builder.AddClinicWeb();
builder.AddClinicRealtime();

var app = builder.Build();

await app.PrepareDatabaseAsync();

app.UseClinicWeb();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapClinicRealtime();

await app.RunAsync();
