using System.Reflection;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Tests.Support;

namespace ImageMais.Clinic.Tests.Architecture;

/// <summary>Core knows nothing of HTTP or UI, and the domain knows nothing of the database.</summary>
public sealed class CoreBoundaryTests
{
    private static readonly Assembly Core = typeof(ClinicDbContext).Assembly;

    [Fact]
    public void Core_references_no_ASP_NET_Core_assembly()
    {
        // Microsoft.Extensions.Identity.Core (the password hasher) is a plain library, not part of ASP.NET Core.
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Microsoft.Extensions.Identity.Core", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Core_does_not_build_on_the_ASP_NET_Core_shared_framework()
    {
        var project = File.ReadAllText(Path.Combine(Repository.Root, "ImageMais.Clinic.Core", "ImageMais.Clinic.Core.csproj"));

        Assert.Contains("Sdk=\"Microsoft.NET.Sdk\"", project, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Domain_types_use_no_EF_Core_type()
    {
        var domainTypes = Core.GetTypes().Where(t => t.Namespace == typeof(Doctor).Namespace).ToList();
        Assert.Contains(typeof(Doctor), domainTypes);

        var offenders = domainTypes
            .SelectMany(type => UsedTypes(type).Select(used => (type, used)))
            .Where(pair => pair.used.Assembly.GetName().Name!.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
            .Select(pair => $"{pair.type.Name} uses {pair.used.FullName}")
            .Distinct()
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Domain_source_files_have_no_EF_Core_usings()
    {
        var folder = Path.Combine(Repository.Root, "ImageMais.Clinic.Core", "Domain");
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);

        Assert.All(files, file => Assert.DoesNotContain("Microsoft.EntityFrameworkCore", File.ReadAllText(file), StringComparison.Ordinal));
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            used.Add(baseType);
        }

        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetCustomAttributes(inherit: false).Select(a => a.GetType()));
        used.AddRange(type.GetFields(all).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        used.AddRange(type.GetProperties(all).SelectMany(p => p.GetCustomAttributes(inherit: false)).Select(a => a.GetType()));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            used.AddRange(method.GetCustomAttributes(inherit: false).Select(a => a.GetType()));
            if (method is MethodInfo info)
            {
                used.Add(info.ReturnType);
            }
        }

        return used.SelectMany(Unwrap);
    }

    /// <summary>A type and the types it is made of (<c>List&lt;DoctorProcedure&gt;</c>, arrays, nullables).</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return inner;
            }
        }
    }
}
