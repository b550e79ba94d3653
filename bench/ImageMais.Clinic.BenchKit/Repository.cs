namespace ImageMais.Clinic.BenchKit;

public static class Repository
{
    /// <summary>The folder holding ImageMais.Clinic.sln, found upwards from the running benchmark.</summary>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ImageMais.Clinic.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from the repository (ImageMais.Clinic.sln not found).");
    }
}
