using System.Data.Common;
using System.Text.Json;
using ImageMais.Clinic.Data;
using ImageMais.Clinic.Data.Interceptors;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features;
using ImageMais.Clinic.Features.Doctors;
using ImageMais.Clinic.Realtime;
using ImageMais.Clinic.Tests.Api;
using ImageMais.Clinic.Tests.Support;
using ImageMais.Clinic.Web.Realtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ImageMais.Clinic.Tests.Data;

/// <summary>
/// The account event log in the database: its schema on both providers, the SQL that numbers events, numbers
/// without gaps under concurrent changes, and pruning by age.
/// </summary>
public sealed class EventLogTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private readonly DoctorService _doctors = database.Services.GetRequiredService<DoctorService>();

    [Fact]
    public void The_SQL_Server_append_is_valid_T_SQL_that_raises_the_accounts_counter_then_inserts_the_event_under_it()
    {
        var script = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(AccountEventLog.SqlServerAppend), out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));
        var statements = Assert.Single(script.Batches).Statements;
        Assert.Equal([typeof(UpdateStatement), typeof(InsertStatement)], statements.Select(s => s.GetType()));

        var update = ((UpdateStatement)statements[0]).UpdateSpecification;
        Assert.Equal("Accounts", TableOf(update.Target));
        var set = Assert.IsType<AssignmentSetClause>(Assert.Single(update.SetClauses));
        Assert.Equal("LastEventSeq", Last(set.Column));
        var raise = Assert.IsType<BinaryExpression>(set.NewValue);
        Assert.Equal(BinaryExpressionType.Add, raise.BinaryExpressionType);
        Assert.Equal("LastEventSeq", Last(Assert.IsType<ColumnReferenceExpression>(raise.FirstExpression)));
        Assert.Equal("1", Assert.IsType<IntegerLiteral>(raise.SecondExpression).Value);
        Assert.Equal("@accountId", WhereIdEquals(update.WhereClause));

        var insert = ((InsertStatement)statements[1]).InsertSpecification;
        Assert.Equal("AccountEvents", TableOf(insert.Target));
        Assert.Equal(["AccountId", "Seq", "Name", "Data", "At"], insert.Columns.Select(Last));
        Assert.Equal("Seq", Last(Assert.IsType<ColumnReferenceExpression>(Assert.IsType<SelectScalarExpression>(Assert.Single(insert.OutputClause.SelectColumns)).Expression)));
        var select = Assert.IsType<QuerySpecification>(Assert.IsType<SelectInsertSource>(insert.InsertSource).Select);
        Assert.Equal("Accounts", TableOf(Assert.Single(select.FromClause.TableReferences)));
        Assert.Equal("@accountId", WhereIdEquals(select.WhereClause));
        var values = select.SelectElements.Cast<SelectScalarExpression>().Select(e => e.Expression).ToList();
        Assert.Equal(["Id", "LastEventSeq"], values.Take(2).Select(v => Last(Assert.IsType<ColumnReferenceExpression>(v))));
        Assert.Equal(["@name", "@data", "@at"], values.Skip(2).Select(v => Assert.IsType<VariableReference>(v).Name));
    }

    [Fact]
    public void Both_providers_map_the_event_log_keyed_by_account_and_seq_and_the_accounts_counter()
    {
        using var sqlServer = MigrationTests.SqlServerContext();
        using var sqlite = new SqliteClinicDbContext(new DbContextOptionsBuilder<SqliteClinicDbContext>().UseSqlite("Data Source=:memory:").Options);

        foreach (var db in new ClinicDbContext[] { sqlServer, sqlite })
        {
            var model = db.GetService<IDesignTimeModel>().Model;
            var events = model.FindEntityType(typeof(LoggedEvent))!;
            Assert.Equal("AccountEvents", events.GetTableName());
            Assert.Equal(["AccountId", "Seq"], events.FindPrimaryKey()!.Properties.Select(p => p.Name));
            Assert.Equal(ValueGenerated.Never, events.FindProperty(nameof(LoggedEvent.Seq))!.ValueGenerated);
            Assert.Contains(events.GetIndexes(), i => i.Properties.Select(p => p.Name).SequenceEqual([nameof(LoggedEvent.At)]));
            var counter = model.FindEntityType(typeof(Account))!.FindProperty(nameof(Account.LastEventSeq))!;
            Assert.Equal(typeof(long), counter.ClrType);
            Assert.False(counter.IsNullable);
        }
    }

    [Fact]
    public void The_SQL_Server_migration_script_creates_the_event_log_and_the_accounts_counter()
    {
        using var db = MigrationTests.SqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);

        Assert.Empty(errors);
        var found = new SchemaStatements();
        fragment.Accept(found);
        var create = Assert.Single(found.CreatedTables, t => TableOf(t.SchemaObjectName) == "AccountEvents");
        var primaryKey = Assert.Single(create.Definition.TableConstraints.OfType<UniqueConstraintDefinition>(), c => c.IsPrimaryKey);
        Assert.Equal(["AccountId", "Seq"], primaryKey.Columns.Select(c => Last(c.Column)));
        Assert.Contains(found.AddedColumns, a => TableOf(a.SchemaObjectName) == "Accounts"
            && a.Definition.ColumnDefinitions.Any(c => c.ColumnIdentifier.Value == "LastEventSeq"
                && c.Constraints.OfType<NullableConstraintDefinition>().Any(n => !n.Nullable)));
    }

    [Fact]
    public async Task The_SQLite_database_holds_the_event_log_keyed_by_account_and_seq_and_the_accounts_counter()
    {
        await using var connection = new SqliteConnection($"Data Source={database.Path}");
        await connection.OpenAsync();

        var events = await TableInfoAsync(connection, "AccountEvents");
        var accounts = await TableInfoAsync(connection, "Accounts");

        Assert.Equal(["AccountId", "Seq"], events.Where(c => c.PrimaryKeyPosition > 0).OrderBy(c => c.PrimaryKeyPosition).Select(c => c.Name));
        Assert.Equal(["AccountId", "At", "Data", "Name", "Seq"], events.Select(c => c.Name).Order(StringComparer.Ordinal));
        var counter = Assert.Single(accounts, c => c.Name == "LastEventSeq");
        Assert.True(counter.NotNull);
    }

    [Fact]
    public async Task Concurrent_changes_of_five_accounts_number_each_accounts_events_1_to_20_without_gaps_in_commit_order()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => database.Services.CreateAccountAsync()));

        var created = await Task.WhenAll(accounts.SelectMany(account => Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            var result = await _doctors.CreateAsync(account.AccountId, NewDoctor());
            return (account.AccountId, Result: result.Value ?? throw new InvalidOperationException(result.Failure!.Message));
        }))));

        foreach (var account in accounts)
        {
            var logged = await EventsOfAsync(account.AccountId);
            Assert.Equal(Enumerable.Range(1, 20).Select(s => (long)s), logged.Select(e => e.Seq));
            Assert.Equal(20, await CounterOfAsync(account.AccountId));

            // One writer at a time: ids are given in commit order, and the numbers follow it.
            var ids = logged.Select(DoctorIdOf).ToList();
            Assert.Equal(ids.Order(), ids);
            Assert.Equal(created.Where(c => c.AccountId == account.AccountId).Select(c => c.Result.Id).Order(), ids.Order());
            Assert.All(logged, e => Assert.Equal(AccountEventNames.DoctorsCreated, e.Name));
        }
    }

    [Fact]
    public async Task A_change_refused_for_a_taken_crm_takes_no_number_and_the_next_event_gets_the_next_one()
    {
        var account = await database.Services.CreateAccountAsync();
        var first = await _doctors.CreateAsync(account.AccountId, NewDoctor());

        var refused = await _doctors.CreateAsync(account.AccountId, NewDoctor() with { Crm = first.Value!.Crm });
        var next = await _doctors.CreateAsync(account.AccountId, NewDoctor());

        Assert.Equal(FailureKind.Conflict, refused.Failure?.Kind);
        Assert.True(next.Succeeded);
        Assert.Equal([1, 2], (await EventsOfAsync(account.AccountId)).Select(e => e.Seq));
        Assert.Equal(next.Value!.Id, DoctorIdOf((await EventsOfAsync(account.AccountId))[1]));
        Assert.Equal(2, await CounterOfAsync(account.AccountId));
    }

    [Fact]
    public async Task A_change_that_fails_at_commit_gives_its_number_back_and_the_next_event_gets_it()
    {
        var account = await database.Services.CreateAccountAsync();
        Assert.True((await _doctors.CreateAsync(account.AccountId, NewDoctor())).Succeeded);
        var failAtCommit = new FailingCommit(account.AccountId);
        var options = new DbContextOptionsBuilder<SqliteClinicDbContext>()
            .UseSqlite($"Data Source={database.Path}")
            .AddInterceptors(SqlitePragmas.Instance, failAtCommit)
            .Options;
        var failing = new DoctorService(
            new ClinicDb(() => new SqliteClinicDbContext(options)),
            database.Services.GetRequiredService<AccountCommitter>(),
            TimeProvider.System,
            NullLogger<DoctorService>.Instance);
        var lost = NewDoctor();

        await Assert.ThrowsAsync<DbUpdateException>(() => failing.CreateAsync(account.AccountId, lost));
        var next = await _doctors.CreateAsync(account.AccountId, NewDoctor());

        // The failed change had taken number 2 inside its transaction; it went back with the rollback.
        Assert.Equal(2, failAtCommit.CounterAtCommit);
        Assert.True(next.Succeeded);
        var logged = await EventsOfAsync(account.AccountId);
        Assert.Equal([1, 2], logged.Select(e => e.Seq));
        Assert.Equal(next.Value!.Id, DoctorIdOf(logged[1]));
        Assert.Equal(2, await CounterOfAsync(account.AccountId));
        Assert.DoesNotContain(await _doctors.ListAsync(account.AccountId), d => d.Crm == lost.Crm);
    }

    [Fact]
    public async Task Pruning_deletes_the_events_older_than_the_retention_and_keeps_the_newer_ones()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new ManualClock(now.AddDays(-10));
        var committer = new AccountCommitter(database.Services.GetRequiredService<IAccountEventPublisher>(), clock, NullLogger<AccountCommitter>.Instance);
        var doctorsAt = new DoctorService(database.ClinicDb, committer, clock, NullLogger<DoctorService>.Instance);
        var account = await database.Services.CreateAccountAsync();
        var untouched = await database.Services.CreateAccountAsync();
        foreach (var age in new[] { TimeSpan.FromDays(10), TimeSpan.FromDays(8), TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1), TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(1) })
        {
            clock.Now = now - age;
            Assert.True((await doctorsAt.CreateAsync(account.AccountId, NewDoctor())).Succeeded);
        }

        Assert.True((await _doctors.CreateAsync(untouched.AccountId, NewDoctor())).Succeeded);
        clock.Now = now;
        var log = database.Services.GetRequiredService<AccountEventLog>();
        var sweeper = new EventLogSweeper(
            database.Services.GetRequiredService<AccountEventFeed>(),
            log,
            Options.Create(new EventLogOptions { RetentionDays = 7 }),
            clock,
            NullLogger<EventLogSweeper>.Instance);

        var pruned = await sweeper.PruneAsync(CancellationToken.None);

        Assert.Equal(3, pruned);
        Assert.Equal([4, 5], (await EventsOfAsync(account.AccountId)).Select(e => e.Seq));
        Assert.Equal(5, await CounterOfAsync(account.AccountId));
        Assert.True((await log.ReadAsync(account.AccountId, 0, 100)).Gone);
        var kept = await log.ReadAsync(account.AccountId, 3, 100);
        Assert.False(kept.Gone);
        Assert.Equal([4, 5], kept.Events.Select(e => e.Seq));
        Assert.Equal([1], (await EventsOfAsync(untouched.AccountId)).Select(e => e.Seq));
        Assert.Equal(0, await sweeper.PruneAsync(CancellationToken.None));
    }

    private static DoctorInput NewDoctor()
    {
        var crm = ApiTestKit.UniqueCrm();
        return new DoctorInput($"Dr. Teste {crm}", crm, $"medico{crm}@example.com", "(81) 99999-8888", false, []);
    }

    private async Task<List<LoggedEvent>> EventsOfAsync(int accountId)
    {
        await using var db = database.ClinicDb.ForAccount(accountId);
        return await db.Events.AsNoTracking().OrderBy(e => e.Seq).ToListAsync();
    }

    private async Task<long> CounterOfAsync(int accountId)
    {
        await using var db = database.ClinicDb.ForSystem();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.LastEventSeq).SingleAsync();
    }

    private static int DoctorIdOf(LoggedEvent logged) => JsonDocument.Parse(logged.Data).RootElement.GetProperty("id").GetInt32();

    private static string TableOf(TableReference table) => TableOf(Assert.IsType<NamedTableReference>(table).SchemaObject);

    private static string TableOf(SchemaObjectName name) => name.BaseIdentifier.Value;

    private static string Last(ColumnReferenceExpression column) => column.MultiPartIdentifier.Identifiers[^1].Value;

    /// <summary>The value a <c>WHERE [Id] = value</c> compares the id with.</summary>
    private static string WhereIdEquals(WhereClause where)
    {
        var comparison = Assert.IsType<BooleanComparisonExpression>(where.SearchCondition);
        Assert.Equal(BooleanComparisonType.Equals, comparison.ComparisonType);
        Assert.Equal("Id", Last(Assert.IsType<ColumnReferenceExpression>(comparison.FirstExpression)));
        return Assert.IsType<VariableReference>(comparison.SecondExpression).Name;
    }

    private static async Task<List<(string Name, bool NotNull, long PrimaryKeyPosition)>> TableInfoAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')";
        var columns = new List<(string, bool, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(0), reader.GetInt64(1) == 1, reader.GetInt64(2)));
        }

        return columns;
    }

    /// <summary>The tables the script creates and the columns it adds, wherever they sit (idempotent blocks).</summary>
    private sealed class SchemaStatements : TSqlFragmentVisitor
    {
        public List<CreateTableStatement> CreatedTables { get; } = [];

        public List<AlterTableAddTableElementStatement> AddedColumns { get; } = [];

        public override void Visit(CreateTableStatement node) => CreatedTables.Add(node);

        public override void Visit(AlterTableAddTableElementStatement node) => AddedColumns.Add(node);
    }

    /// <summary>A clock the test sets.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// Fails the commit of the account's change, as a database that refuses it at the last moment would, after
    /// reading the account's counter inside the transaction.
    /// </summary>
    private sealed class FailingCommit(int accountId) : DbTransactionInterceptor
    {
        public long? CounterAtCommit { get; private set; }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
            DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """SELECT "LastEventSeq" FROM "Accounts" WHERE "Id" = $id""";
            command.Parameters.Add(new SqliteParameter("$id", accountId));
            CounterAtCommit = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            throw new DbUpdateException("The database refused the commit.");
        }
    }
}
