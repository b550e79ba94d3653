namespace ImageMais.Clinic.Tests.Support;

public static class Repository
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The folder holding ImageMais.Clinic.sln, for tests that read the repository's own files.</summary>
    public static string Root => Folder.Value;

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ImageMais.Clinic.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ImageMais.Clinic.sln) was not found above " + AppContext.BaseDirectory);
    }
}
