namespace ImageMais.Clinic.Data;

/// <summary>Which database the app runs on (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
