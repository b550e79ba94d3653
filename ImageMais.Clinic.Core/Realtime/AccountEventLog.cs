using System.Data;
using System.Data.Common;
using System.Text;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace ImageMais.Clinic.Realtime;

/// <summary>
/// Every account's events, numbered and kept: the outbox the live feed delivers from, the history a client that
/// was away resumes from (hub <c>Resume</c>, <c>GET /api/events</c>), pruned after <c>Events:RetentionDays</c>.
/// </summary>
/// <remarks>
/// <para>
/// An event is appended by <see cref="AccountCommitter"/> inside the transaction of its change, by one statement
/// pair (<see cref="SqliteAppend"/>, <see cref="SqlServerAppend"/>): the account's counter
/// <see cref="Account.LastEventSeq"/> is raised by one and the event row takes the new value.
/// </para>
/// <para>
/// Why the numbers have no gaps and follow commit order: raising the counter locks the account's row until the
/// transaction ends (SQL Server: an exclusive row lock held to commit, at any isolation level; SQLite: the
/// database's single write lock). A second change of the same account waits at that statement until the first
/// commits or rolls back, then reads the committed counter: a rolled-back change gives its number back, and no
/// change can commit a number lower than one already committed. Why it cannot deadlock: the counter is the last
/// thing a change writes, just before its commit, so a transaction that holds an account's counter lock never
/// waits for another lock. Changes of different accounts lock different rows and never wait for each other.
/// </para>
/// </remarks>
public sealed partial class AccountEventLog(ClinicDb clinicDb, ILogger<AccountEventLog> logger)
{
    /// <summary>Raises the account's counter and adds the event under the new number, returning it (SQLite).</summary>
    internal const string SqliteAppend = """
        UPDATE "Accounts" SET "LastEventSeq" = "LastEventSeq" + 1 WHERE "Id" = @accountId;
        INSERT INTO "AccountEvents" ("AccountId", "Seq", "Name", "Data", "At")
        SELECT "Id", "LastEventSeq", @name, @data, @at FROM "Accounts" WHERE "Id" = @accountId
        RETURNING "Seq";
        """;

    /// <summary>Raises the account's counter and adds the event under the new number, returning it (SQL Server).</summary>
    internal const string SqlServerAppend = """
        UPDATE [Accounts] SET [LastEventSeq] = [LastEventSeq] + 1 WHERE [Id] = @accountId;
        INSERT INTO [AccountEvents] ([AccountId], [Seq], [Name], [Data], [At])
        OUTPUT INSERTED.[Seq]
        SELECT [Id], [LastEventSeq], @name, @data, @at FROM [Accounts] WHERE [Id] = @accountId;
        """;

    /// <summary>At most this many accounts are asked about in one query.</summary>
    private const int AccountsPerQuery = 500;

    /// <summary>
    /// The events of <paramref name="accountId"/> after <paramref name="after"/>, at most <paramref name="limit"/>,
    /// in order, with the account's latest number; <see cref="EventPage.Gone"/> when some of them are no longer kept.
    /// </summary>
    public async Task<EventPage> ReadAsync(int accountId, long after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var db = clinicDb.ForAccount(accountId);
        await db.Database.OpenConnectionAsync(cancellationToken);

        // The counter first: every event up to it has committed, so the rows read next include them all.
        var last = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.LastEventSeq).FirstOrDefaultAsync(cancellationToken);
        if (after > last)
        {
            // The client saw numbers this log never gave (a database restored from an older backup, say).
            return new EventPage([], after, last, Gone: true);
        }

        var rows = await db.Events.AsNoTracking()
            .Where(e => e.Seq > after && e.Seq <= last)
            .OrderBy(e => e.Seq)
            .Take(limit)
            .ToListAsync(cancellationToken);
        var expected = Math.Min(limit, last - after);
        if (rows.Count < expected || (rows.Count > 0 && rows[0].Seq != after + 1))
        {
            return new EventPage([], after, last, Gone: true);
        }

        var through = rows.Count == 0 ? after : rows[^1].Seq;
        return new EventPage([.. rows.Select(r => ToEvent(r, accountId)).OfType<AccountEvent>()], through, last, Gone: false);
    }

    /// <summary>The latest event number of each of <paramref name="accountIds"/> (accounts that do not exist are left out).</summary>
    public async Task<Dictionary<int, long>> LastSeqsAsync(IReadOnlyCollection<int> accountIds, CancellationToken cancellationToken = default)
    {
        var lasts = new Dictionary<int, long>(accountIds.Count);
        await using var db = clinicDb.ForSystem();
        foreach (var chunk in accountIds.Chunk(AccountsPerQuery))
        {
            var rows = await db.Accounts.AsNoTracking()
                .Where(a => chunk.Contains(a.Id))
                .Select(a => new { a.Id, a.LastEventSeq })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                lasts[row.Id] = row.LastEventSeq;
            }
        }

        return lasts;
    }

    /// <summary>The latest event number of <paramref name="accountId"/> (0 before its first event).</summary>
    public async Task<long> LastSeqAsync(int accountId, CancellationToken cancellationToken = default) =>
        (await LastSeqsAsync([accountId], cancellationToken)).GetValueOrDefault(accountId);

    /// <summary>Deletes the events of every account committed before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await using var db = clinicDb.ForSystem();
        return await db.Events.IgnoreQueryFilters().Where(e => e.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Appends <paramref name="change"/> to the log of <paramref name="accountId"/> in <paramref name="db"/>'s open transaction.</summary>
    internal static async Task<AccountEvent> AppendAsync(ClinicDbContext db, int accountId, AccountChange change, DateTime at, CancellationToken cancellationToken)
    {
        var data = AccountEventJson.Write(change);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("An event is appended inside its change's transaction.");
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = db is SqliteClinicDbContext ? SqliteAppend : SqlServerAppend;
        Add(command, "@accountId", DbType.Int32, accountId);
        Add(command, "@name", DbType.String, change.Name);
        Add(command, "@data", DbType.String, Encoding.UTF8.GetString(data));
        Add(command, "@at", DbType.DateTime2, at);
        var seq = await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Account {accountId} does not exist: its event cannot be logged.");
        return new AccountEvent(accountId, seq, at, change) { Data = data };
    }

    /// <summary>Whether <paramref name="appended"/> is in the log (it committed).</summary>
    internal static Task<bool> ContainsAsync(ClinicDbContext db, AccountEvent appended, CancellationToken cancellationToken) =>
        db.Events.AsNoTracking().AnyAsync(e => e.AccountId == appended.AccountId && e.Seq == appended.Seq && e.At == appended.At, cancellationToken);

    /// <summary>
    /// The event a row keeps, or <c>null</c> (logged) when the row cannot be read as one: a row written by a newer
    /// version with an event this one does not know.
    /// </summary>
    private AccountEvent? ToEvent(LoggedEvent row, int accountId)
    {
        var data = Encoding.UTF8.GetBytes(row.Data);
        try
        {
            if (AccountEventJson.Read(row.Name, data) is { } change)
            {
                return new AccountEvent(accountId, row.Seq, row.At, change) { Data = data };
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            LogUnreadable(ex, row.Seq, accountId);
            return null;
        }

        LogUnreadable(null, row.Seq, accountId);
        return null;
    }

    private static void Add(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event #{Seq} of account {AccountId} in the log cannot be read; it is skipped")]
    private partial void LogUnreadable(Exception? exception, long seq, int accountId);
}

/// <summary>A page of an account's log.</summary>
/// <param name="Events">The events read, in order (a row this version cannot read is left out, and logged).</param>
/// <param name="Through">The number of the last event the page covers: where the next page starts.</param>
/// <param name="Last">The account's latest event number when the page was read.</param>
/// <param name="Gone">Some events after the asked number are no longer kept (or never were): the reader must start over.</param>
public sealed record EventPage(IReadOnlyList<AccountEvent> Events, long Through, long Last, bool Gone)
{
    /// <summary>Whether the page reaches the account's latest event.</summary>
    public bool IsLast => Through >= Last;
}
