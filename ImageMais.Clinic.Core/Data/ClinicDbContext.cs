using System.Reflection;
using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ImageMais.Clinic.Data;

/// <summary>
/// The clinic's model, shared by both database providers (<see cref="SqliteClinicDbContext"/> and
/// <see cref="SqlServerClinicDbContext"/>, each with its own migrations).
/// </summary>
/// <remarks>
/// A context is opened for one account (<see cref="ClinicDb.ForAccount"/>) or for the system
/// (<see cref="ClinicDb.ForSystem"/>). Every <see cref="IAccountOwned"/> entity is filtered to the
/// context's account, so an account context cannot read another account's rows; a system context reads
/// none unless it asks with <c>IgnoreQueryFilters()</c>. Writes are checked by
/// <see cref="Interceptors.AccountOwnershipInterceptor"/>.
/// </remarks>
public abstract class ClinicDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The account this context works for; <c>null</c> for system work (CLI, token checks).</summary>
    public int? AccountId { get; internal set; }

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Procedure> Procedures => Set<Procedure>();

    public DbSet<Doctor> Doctors => Set<Doctor>();

    public DbSet<DoctorProcedure> DoctorProcedures => Set<DoctorProcedure>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    /// <summary>Every account's event log (<see cref="LoggedEvent"/>), written only by <see cref="Realtime.AccountCommitter"/>.</summary>
    public DbSet<LoggedEvent> Events => Set<LoggedEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC. Providers hand DateTime back with Kind=Unspecified; mark it so it serializes with "Z".
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);

        // The embedded OpenID provider's clients, authorizations and tokens live in the same database.
        modelBuilder.UseOpenIddict();

        var applyFilter = typeof(ClinicDbContext).GetMethod(nameof(ApplyAccountFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(IAccountOwned).IsAssignableFrom(entityType.ClrType))
            {
                applyFilter.MakeGenericMethod(entityType.ClrType).Invoke(this, [modelBuilder]);
            }
        }
    }

    private void ApplyAccountFilter<TEntity>(ModelBuilder modelBuilder)
        where TEntity : class, IAccountOwned =>
        modelBuilder.Entity<TEntity>().HasQueryFilter(e => e.AccountId == AccountId);

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
