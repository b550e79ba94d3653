namespace ImageMais.Clinic.Data;

/// <summary>
/// Opens short-lived <see cref="ClinicDbContext"/>s, one per operation, each bound to an account or to the system.
/// </summary>
/// <remarks>Contexts come from a pool, so the account is set on every rent, never left from an earlier use.</remarks>
public sealed class ClinicDb(Func<ClinicDbContext> createContext)
{
    /// <summary>A context that sees and writes only <paramref name="accountId"/>'s data.</summary>
    public ClinicDbContext ForAccount(int accountId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accountId);
        var db = createContext();
        db.AccountId = accountId;
        return db;
    }

    /// <summary>
    /// A context for work that spans accounts (creating an account, checking a token). Account-owned rows are
    /// invisible to it unless a query says <c>IgnoreQueryFilters()</c>, so crossing accounts is always explicit.
    /// </summary>
    public ClinicDbContext ForSystem()
    {
        var db = createContext();
        db.AccountId = null;
        return db;
    }
}
