using System.Text.Encodings.Web;
using System.Text.Json;
using ImageMais.Clinic.Features;

namespace ImageMais.Clinic.Web.Cli;

/// <summary>Where commands speak: one JSON object on stdout for a result, one line on stderr for a failure.</summary>
public sealed class CliConsole(TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        // The output is read by scripts, not embedded in HTML: keep accents and symbols (a password's "&") readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public int Write<T>(T value)
    {
        stdout.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        stdout.Flush();
        return ClinicCli.Success;
    }

    public int Error(string message)
    {
        stderr.WriteLine(OneLine(message));
        stderr.Flush();
        return ClinicCli.Refused;
    }

    /// <summary>
    /// Writes the result, or the failure with each field named by the option it came from
    /// (<paramref name="optionOfField"/> maps a service's field name to it, e.g. <c>masterEmail</c> → <c>--master-email</c>).
    /// </summary>
    public int Write<T>(Result<T> result, IReadOnlyDictionary<string, string> optionOfField)
    {
        if (result.Failure is not { } failure)
        {
            return Write(result.Value);
        }

        if (failure.Kind == FailureKind.Invalid && failure.Errors is { Count: > 0 } errors)
        {
            return Error(string.Join(" ", errors.SelectMany(e =>
                e.Value.Select(message => $"{optionOfField.GetValueOrDefault(e.Key, e.Key)}: {message}"))));
        }

        return Error(failure.Message);
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
