using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using ImageMais.Clinic.Features.AccessTokens;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Hosting;
using ImageMais.Clinic.Web.Realtime;

namespace ImageMais.Clinic.Tests.Operations;

/// <summary>docs/deploy.md names only settings the app reads, and names every setting of the deployment options.</summary>
public sealed partial class DeployDocsTests
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.Ordinal)
    {
        [RedisOptions.SectionName] = typeof(RedisOptions),
        [RateLimitOptions.SectionName] = typeof(RateLimitOptions),
        [ForwardedHeadersSettings.SectionName] = typeof(ForwardedHeadersSettings),
        [TelemetryOptions.SectionName] = typeof(TelemetryOptions),
        [DatabaseOptions.SectionName] = typeof(DatabaseOptions),
        [RealtimeOptions.SectionName] = typeof(RealtimeOptions),
        [EventLogOptions.SectionName] = typeof(EventLogOptions),
        [AccessTokenOptions.SectionName] = typeof(AccessTokenOptions),
    };

    /// <summary>Settings of the framework itself (logging) and the one connection string the app reads.</summary>
    private static readonly string[] FrameworkSettings = ["ConnectionStrings:Clinic", "Logging:"];

    private static string Page => File.ReadAllText(Path.Combine(Repository.Root, "docs", "deploy.md"));

    [Fact]
    public void Every_setting_the_page_names_is_read_by_the_app()
    {
        var names = SettingName().Matches(Page).Select(m => m.Value.Replace("__", ":", StringComparison.Ordinal)).Distinct().ToList();
        var unknown = names.Where(name => !FrameworkSettings.Any(f => name == f || (f.EndsWith(':') && name.StartsWith(f, StringComparison.Ordinal))) && !Resolves(name)).ToList();

        Assert.True(names.Count > 20, $"Only {names.Count} setting names found: {string.Join(", ", names)}");
        Assert.True(unknown.Count == 0, "Not read by the app: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_deployment_setting_is_in_the_configuration_table()
    {
        var table = Page[Page.IndexOf("## 5. Configuration", StringComparison.Ordinal)..];
        var missing = new[] { typeof(RedisOptions), typeof(RateLimitOptions), typeof(ForwardedHeadersSettings), typeof(TelemetryOptions) }
            .SelectMany(type => Leaves(Sections.Single(s => s.Value == type).Key, type))
            .Where(name => !table.Contains($"| `{name}` |", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, "Missing from the table: " + string.Join(", ", missing));
    }

    private static bool Resolves(string name)
    {
        var parts = name.Split(':');
        if (!Sections.TryGetValue(parts[0], out var type))
        {
            return false;
        }

        foreach (var part in parts.Skip(1))
        {
            if (int.TryParse(part, out _))
            {
                type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().SingleOrDefault() ?? typeof(void);
                continue;
            }

            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property?.SetMethod is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    /// <summary>Every bindable setting under <paramref name="prefix"/> (nested objects spelled out, arrays as one name).</summary>
    private static IEnumerable<string> Leaves(string prefix, Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod?.IsPublic == true)
            .SelectMany(p => IsLeaf(p.PropertyType) ? [$"{prefix}:{p.Name}"] : Leaves($"{prefix}:{p.Name}", p.PropertyType));

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal)
        || Nullable.GetUnderlyingType(type) is not null || typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary><c>Section:Key[:Key…]</c> or <c>Section__Key[__Key…]</c>, a section being a capitalised word.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_.:/])[A-Z][A-Za-z]+(?:(?::|__)[A-Za-z0-9]+)+")]
    private static partial Regex SettingName();
}
