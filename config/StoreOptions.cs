using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[store]</c> section: where composes and Hangfire's jobs are kept.</summary>
public sealed partial record StoreOptions
{
    /// <summary>Default of <c>path</c>: under systemd's <c>StateDirectory=kojicomposer</c>.</summary>
    public const string DefaultPath = "/var/lib/kojicomposer/kojicomposer.db";

    /// <summary>Default of <c>schema</c>.</summary>
    public const string DefaultSchema = "kojicomposer";

    /// <summary>Default of <c>hangfire_schema</c>.</summary>
    public const string DefaultHangfireSchema = "hangfire";

    private static readonly IReadOnlyList<(string, StoreKind)> Kinds =
        [("embedded", StoreKind.Embedded), ("postgresql", StoreKind.PostgreSql)];

    /// <summary><c>kind</c>: <c>"embedded"</c> (default) or <c>"postgresql"</c>.</summary>
    public StoreKind Kind { get; init; } = StoreKind.Embedded;

    /// <summary><c>path</c>: absolute path of the SQLite file of the embedded store; default
    /// <see cref="DefaultPath"/>. Its directory need not exist yet (systemd creates <c>StateDirectory=</c>).</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>The Npgsql connection string for <see cref="StoreKind.PostgreSql"/>, from <c>connection_string</c> or
    /// read from the file <c>connection_string_file</c> names; null for the embedded store. It may hold a password:
    /// never log or show it (<see cref="ToString"/> leaves it out).</summary>
    public string? ConnectionString { get; init; }

    /// <summary><c>connection_string_file</c>: the file the connection string was read from, if any.</summary>
    public string? ConnectionStringFile { get; init; }

    /// <summary><c>schema</c>: PostgreSQL schema of the compose tables; default <c>kojicomposer</c>.</summary>
    public string Schema { get; init; } = DefaultSchema;

    /// <summary><c>hangfire_schema</c>: PostgreSQL schema of Hangfire's tables; default <c>hangfire</c>.</summary>
    public string HangfireSchema { get; init; } = DefaultHangfireSchema;

    internal static StoreOptions Bind(ConfigSection section)
    {
        var kind = section.Choice("kind", StoreKind.Embedded, Kinds);
        var options = new StoreOptions
        {
            Kind = kind,
            Path = section.AbsolutePath("path") ?? DefaultPath,
            ConnectionString = section.String("connection_string"),
            ConnectionStringFile = section.ReadableFile("connection_string_file", "connection string file"),
            Schema = Identifier(section, "schema", DefaultSchema),
            HangfireSchema = Identifier(section, "hangfire_schema", DefaultHangfireSchema),
        };
        return kind == StoreKind.PostgreSql ? BindPostgreSql(section, options) : CheckEmbedded(section, options);
    }

    private static StoreOptions BindPostgreSql(ConfigSection section, StoreOptions options)
    {
        if (section.Has("path"))
        {
            section.Error("path", "applies to kind = \"embedded\" only; this store is \"postgresql\"");
        }

        if (section.Has("connection_string") && section.Has("connection_string_file"))
        {
            section.Error("connection_string_file", $"set either {section.KeyPath("connection_string")} or this, not both");
            return options;
        }

        if (options.ConnectionStringFile is { } file)
        {
            var fromFile = ReadConnectionString(section, file);
            CheckConnectionString(section, "connection_string_file", fromFile);
            return options with { ConnectionString = fromFile };
        }

        if (options.ConnectionString is { } text && text.Trim().Length == 0)
        {
            section.Error("connection_string", "must not be empty");
        }
        else if (options.ConnectionString is not null)
        {
            CheckConnectionString(section, "connection_string", options.ConnectionString);
        }
        else if (!section.Has("connection_string") && !section.Has("connection_string_file"))
        {
            section.Error(
                "connection_string",
                $"required when kind = \"postgresql\" (or {section.KeyPath("connection_string_file")}, a file holding it, "
                + "which keeps a password out of this file)");
        }

        return options;
    }

    private static StoreOptions CheckEmbedded(ConfigSection section, StoreOptions options)
    {
        foreach (var key in new[] { "connection_string", "connection_string_file", "schema", "hangfire_schema" })
        {
            if (section.Has(key))
            {
                section.Error(key, "applies to kind = \"postgresql\" only; this store is \"embedded\"");
            }
        }

        return options with { ConnectionString = null, ConnectionStringFile = null };
    }

    // One line (surrounding white space and a final newline are not part of it); the content is never quoted in
    // an error, since it may hold a password.
    private static string? ReadConnectionString(ConfigSection section, string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            section.Error("connection_string_file", $"cannot read connection string file {ConfigText.Quote(file)}: {FileProbe.Describe(e, file)}");
            return null;
        }

        if (text.Length == 0)
        {
            section.Error("connection_string_file", $"{ConfigText.Quote(file)} is empty; it must hold the Npgsql connection string");
            return null;
        }

        return text;
    }

    /// <summary>The host and database a connection string names, for messages; never the rest of it (a
    /// password).</summary>
    public static string DescribeConnectionString(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var host = Value(builder, "host") ?? Value(builder, "server") ?? "?";
        var port = Value(builder, "port");
        var database = Value(builder, "database") ?? Value(builder, "db") ?? "(the user's)";
        return $"host {host}{(port is null ? "" : ":" + port)}, database {database}";
    }

    private static string? Value(DbConnectionStringBuilder builder, string key) =>
        builder.TryGetValue(key, out var value) ? value?.ToString() : null;

    // Syntax only (key=value;...) and a host: without a host Npgsql would try a local socket, which is not what a
    // shared store means. The content is never quoted: it may hold a password.
    private static void CheckConnectionString(ConfigSection section, string key, string? text)
    {
        if (text is null)
        {
            return;
        }

        DbConnectionStringBuilder builder;
        try
        {
            builder = new DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException)
        {
            section.Error(key, "is not a valid connection string (key=value pairs separated by ';', e.g. \"Host=db.example.com;Database=kojicomposer;Username=kojicomposer\")");
            return;
        }

        if (Value(builder, "host") is null && Value(builder, "server") is null)
        {
            section.Error(key, "the connection string names no Host");
        }
    }

    private static string Identifier(ConfigSection section, string key, string defaultValue)
    {
        var text = section.String(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!IdentifierPattern().IsMatch(text))
        {
            section.Error(key, $"must be a lower-case SQL identifier (a-z, 0-9, _; at most 63 characters, not starting with a digit), got {ConfigText.Quote(text)}");
            return defaultValue;
        }

        return text;
    }

    // Records print every property; the connection string may hold a password, so it is left out.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Kind = {Kind}, Path = {Path}, ConnectionString = {(ConnectionString is null ? "null" : "(set, not shown)")}, ");
        builder.Append($"ConnectionStringFile = {ConnectionStringFile ?? "null"}, Schema = {Schema}, HangfireSchema = {HangfireSchema}");
        return true;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
