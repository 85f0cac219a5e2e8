using Npgsql;

namespace NanoAgent.Fleet.Store;

/// <summary>
/// Reads a PostgreSQL URL, <c>postgres://user[:password]@host[:port]/database[?host=/socket/dir&amp;sslmode=require]</c>,
/// the form libpq documents (§34.1.1.2 "Connection URIs"), into an Npgsql connection string.
/// </summary>
public static class PostgresUrl
{
    /// <summary>Parses a URL.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The connection string builder.</returns>
    /// <exception cref="FormatException">Not a PostgreSQL URL, no database, or an unknown parameter.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        // libpq allows an empty host (the socket directory then comes in ?host=); System.Uri does not.
        string parsed = url.Replace("@/", "@localhost/", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsed, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException($"'{Redact(url)}' is not a postgres:// URL");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Length > 0 ? uri.Host : "localhost", Port = uri.Port > 0 ? uri.Port : 5432 };
        string[] userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new FormatException("the URL names no database (postgres://user@host:port/DATABASE)");
        }

        builder.Database = database;
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (kv[0])
            {
                case "host":
                    builder.Host = value;
                    break;
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new FormatException($"unknown URL parameter '{kv[0]}' (host, sslmode, application_name, connect_timeout)");
            }
        }

        return builder;
    }

    private static string Redact(string url)
    {
        int at = url.IndexOf('@', StringComparison.Ordinal);
        int colon = url.IndexOf(':', url.IndexOf("//", StringComparison.Ordinal) + 2);
        return at > 0 && colon > 0 && colon < at ? url[..colon] + ":***" + url[at..] : url;
    }
}
