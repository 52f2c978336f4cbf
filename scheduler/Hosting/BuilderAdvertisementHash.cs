using System.Globalization;
using Hangfire;
using Hangfire.Storage;
using KojiComposer.Contracts.Builders;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>A builder server's advertisement as it lies in Hangfire's storage (a hash, which Hangfire.PostgreSql
/// and Hangfire.InMemory both keep), found again from the server's id. Hangfire names a server
/// <c>&lt;server name&gt;:&lt;pid&gt;:&lt;guid&gt;</c> and makes a new guid whenever it restarts the server, so the
/// key is the part before the guid, lowercased (Hangfire lowercases the name).</summary>
internal static class BuilderAdvertisementHash
{
    private const string Prefix = "kojicomposer:builder:";

    /// <summary>The key for this process's Hangfire server <paramref name="serverName"/> (as configured).</summary>
    public static string KeyOfThisProcess(string serverName) =>
        Prefix + $"{serverName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}".ToLowerInvariant();

    /// <summary>The key for a running server's id; null when the id is not Hangfire's <c>name:pid:guid</c>.</summary>
    public static string? KeyOfServer(string serverId)
    {
        var parts = serverId.Split(':');
        return parts.Length >= 3 && Guid.TryParse(parts[^1], out _) ? Prefix + string.Join(':', parts[..^1]).ToLowerInvariant() : null;
    }

    public static void Write(JobStorage storage, string key, BuilderAdvertisement advertisement, DateTimeOffset startedAt)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["arches"] = string.Join(',', advertisement.Arches),
            ["osbuild_version"] = advertisement.OsbuildVersion,
            ["osbuild_path"] = advertisement.OsbuildPath,
            ["generator"] = advertisement.Generator,
            ["started_at"] = startedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        };
        if (advertisement.GeneratorVersion is { } version)
        {
            fields["generator_version"] = version;
        }

        using var connection = storage.GetConnection();
        // Stale fields of an earlier process with the same name and pid go first: generator_version may be absent now.
        using var transaction = connection.CreateWriteTransaction();
        transaction.RemoveHash(key);
        transaction.SetRangeInHash(key, fields);
        transaction.Commit();
    }

    public static void Remove(JobStorage storage, string key)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.RemoveHash(key);
        transaction.Commit();
    }

    /// <summary>The advertisement of the server <paramref name="serverId"/>, or null when it has none.</summary>
    public static AdvertisedBuilder? Read(IStorageConnection connection, string serverId)
    {
        if (KeyOfServer(serverId) is not { } key || connection.GetAllEntriesFromHash(key) is not { } fields
            || !fields.TryGetValue("osbuild_version", out var osbuild) || !fields.TryGetValue("generator", out var generator))
        {
            return null;
        }

        var advertisement = new BuilderAdvertisement(
            fields.TryGetValue("arches", out var arches) ? arches.Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
            osbuild,
            fields.GetValueOrDefault("osbuild_path", ""),
            generator,
            fields.GetValueOrDefault("generator_version"));
        var started = fields.TryGetValue("started_at", out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null;
        return new AdvertisedBuilder(advertisement, started);
    }
}

/// <summary>An advertisement read back, with when its server started.</summary>
internal sealed record AdvertisedBuilder(BuilderAdvertisement Advertisement, DateTimeOffset? StartedAt);
