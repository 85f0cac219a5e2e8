using System.Data.Common;

namespace NanoAgent.Fleet.Store;

/// <summary>One connection (and transaction, when writing) with small helpers for parameterised statements.</summary>
public sealed class Sql
{
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;

    /// <summary>Wraps a connection.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction, or null for reads.</param>
    /// <param name="dialect">The database kind.</param>
    public Sql(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
    {
        _connection = connection;
        _transaction = transaction;
        Dialect = dialect;
    }

    /// <summary>Gets the database kind.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Runs a statement.</summary>
    /// <param name="sql">The statement, with dialect placeholders and <c>@name</c> parameters.</param>
    /// <param name="args">The parameters.</param>
    /// <returns>Rows affected.</returns>
    public int Execute(string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand command = Command(sql, args);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its first column of its first row as a long (0 when null or no row).</summary>
    /// <param name="sql">The query.</param>
    /// <param name="args">The parameters.</param>
    /// <returns>The value.</returns>
    public long Long(string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand command = Command(sql, args);
        object? value = command.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query and maps each row.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="sql">The query.</param>
    /// <param name="map">Maps the current row.</param>
    /// <param name="args">The parameters.</param>
    /// <returns>The rows.</returns>
    public List<T> Rows<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using DbCommand command = Command(sql, args);
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Returns the database clock in Unix milliseconds.</summary>
    /// <returns>The time.</returns>
    public long NowMs() => Long("SELECT {NOW}");

    /// <summary>Reads a nullable long column.</summary>
    /// <param name="reader">The row.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value, or null.</returns>
    public static long? NullableLong(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    /// <summary>Reads a nullable text column.</summary>
    /// <param name="reader">The row.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value, or null.</returns>
    public static string? NullableText(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>Reads a nullable binary column.</summary>
    /// <param name="reader">The row.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value, or null.</returns>
    public static byte[]? NullableBytes(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : (byte[])reader.GetValue(column);

    private DbCommand Command(string sql, (string Name, object? Value)[] args)
    {
        DbCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = Dialect.Render(sql);
        foreach ((string name, object? value) in args)
        {
            DbParameter p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value switch
            {
                null => DBNull.Value,
                bool b => b ? 1 : 0,
                ulong u => checked((long)u),
                byte b8 => (int)b8,
                _ => value,
            };
            command.Parameters.Add(p);
        }

        return command;
    }
}
