using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Cli;

namespace ImageMais.Clinic.Tests.Realtime;

/// <summary>The app process is killed outright (SIGKILL) right after its changes commit; started again, it has lost no event.</summary>
public sealed class ProcessKillTests
{
    private const int Doctors = 10;

    [Fact]
    public async Task After_the_process_is_killed_right_after_its_last_change_a_client_resuming_on_the_restarted_app_gets_every_committed_event_then_live_ones()
    {
        var folder = Directory.CreateTempSubdirectory("imagemais-kill-");
        try
        {
            var databasePath = Path.Combine(folder.FullName, "clinic.db");
            var accountId = RunCli(await CliProcess.RunAsync(databasePath, "accounts", "create", "--name", "Clínica Boa Vista", "--master-email", $"kill-{Guid.NewGuid():N}@example.com"))
                .GetProperty("accountId").GetInt32();
            var issuing = CliProcess.RunAsync(databasePath, "tokens", "issue", "--account", accountId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var created = new List<JsonObject>();
            string token;
            await using (var first = await AppProcess.StartAsync(databasePath))
            {
                token = RunCli(await issuing).GetProperty("token").GetString()!;
                using var client = ApiClient(first, token);
                for (var i = 0; i < Doctors; i++)
                {
                    created.Add(await client.CreateDoctorAsync(AccountChanges.NewDoctor()));
                }

                await first.KillAsync();
            }

            await using var restarted = await AppProcess.StartAsync(databasePath);
            await using var listener = HubListener.Create(restarted.BaseAddress, token);
            await listener.Connection.StartAsync().WaitAsync(HubListener.Timeout);

            var answer = await listener.ResumeAsync(0);

            Assert.Equal(new ResumeAnswer(Doctors, Reset: false), answer);
            for (var seq = 1; seq <= Doctors; seq++)
            {
                var replayed = await listener.NextAsync();
                Assert.Equal(seq, replayed.Seq);
                Assert.Equal(AccountEventNames.DoctorsCreated, replayed.Name);
                Assert.True(JsonNode.DeepEquals(created[seq - 1], replayed.Payload), $"Event #{seq} carries {replayed.Payload}, the API answered {created[seq - 1]}");
            }

            using var again = ApiClient(restarted, token);
            var live = await again.CreateDoctorAsync(AccountChanges.NewDoctor());
            var heard = await listener.NextAsync();
            Assert.Equal((Doctors + 1, (int)live["id"]!), (heard.Seq, (int)heard.Payload!["id"]!));

            // Had anything come twice, the copy would arrive before the next event.
            var sentinel = await again.CreateDoctorAsync(AccountChanges.NewDoctor());
            var next = await listener.NextAsync();
            Assert.Equal((Doctors + 2, (int)sentinel["id"]!), (next.Seq, (int)next.Payload!["id"]!));
            Assert.Empty(listener.Unread());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static HttpClient ApiClient(AppProcess app, string token)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static JsonElement RunCli(CliRun run)
    {
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }
}
