using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Catalogue;

public sealed partial class ImageTypeCatalogue
{
    private const string BuiltInResource = "KojiComposer.Builder.catalogue.json";
    private const string BuiltInName = "built-in catalogue";

    // Keys an entry may carry besides the nine of ImageTypeInfo: "comment" lets a site note where a value comes from.
    private static readonly string[] KnownKeys =
    [
        "image_type", "distro", "generator_type", "export", "filename", "boot_mode", "default_target",
        "build_pipelines", "payload_pipelines", "comment",
    ];

    private static readonly string[] BootModes = ["legacy", "uefi", "hybrid"];

    /// <summary>The built-in catalogue, or the site's <paramref name="file"/> when given.</summary>
    /// <exception cref="CatalogueException">The file cannot be read or has a wrong entry (named with its position).</exception>
    public static ImageTypeCatalogue Load(string? file = null)
    {
        if (file is null)
        {
            using var stream = typeof(ImageTypeCatalogue).Assembly.GetManifestResourceStream(BuiltInResource)
                ?? throw new CatalogueException($"{BuiltInName}: resource {BuiltInResource} is missing from the builder assembly");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), BuiltInName);
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CatalogueException($"catalogue {file}: cannot be read: {e.Message}", e);
        }

        return Parse(text, $"catalogue {file}");
    }

    /// <summary>Reads a catalogue document (a JSON array of entries); <paramref name="source"/> starts every
    /// message.</summary>
    /// <exception cref="CatalogueException">The text is not such an array or an entry is wrong.</exception>
    public static ImageTypeCatalogue Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CatalogueException($"{source}: not JSON: {e.Message}", e);
        }

        if (root is not JsonArray array)
        {
            throw new CatalogueException($"{source}: must be a JSON array of entries");
        }

        var entries = new List<ImageTypeInfo>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            entries.Add(ReadEntry(array[i], source, i + 1));
        }

        return new ImageTypeCatalogue(entries);
    }

    private static ImageTypeInfo ReadEntry(JsonNode? node, string source, int position)
    {
        if (node is not JsonObject entry)
        {
            throw new CatalogueException($"{source}: entry {position}: must be an object");
        }

        var where = entry["image_type"] is JsonValue v && v.TryGetValue<string>(out var name)
            ? $"{source}: entry {position} (image_type \"{name}\")"
            : $"{source}: entry {position}";
        foreach (var (key, _) in entry)
        {
            if (!KnownKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new CatalogueException($"{where}: \"{key}\" is not a catalogue key");
            }
        }

        var bootMode = OptionalString(entry, "boot_mode", where);
        if (bootMode is not null && !BootModes.Contains(bootMode, StringComparer.Ordinal))
        {
            throw new CatalogueException($"{where}: \"boot_mode\" must be legacy, uefi, hybrid or null, not \"{bootMode}\"");
        }

        return new ImageTypeInfo(
            RequiredString(entry, "image_type", where),
            RequiredString(entry, "distro", where),
            RequiredString(entry, "generator_type", where),
            RequiredString(entry, "export", where),
            RequiredString(entry, "filename", where),
            bootMode,
            RequiredString(entry, "default_target", where),
            Pipelines(entry, "build_pipelines", where),
            Pipelines(entry, "payload_pipelines", where));
    }

    private static string RequiredString(JsonObject entry, string key, string where) =>
        OptionalString(entry, key, where) is { Length: > 0 } value
            ? value
            : throw new CatalogueException(entry.ContainsKey(key) && entry[key] is not null
                ? $"{where}: \"{key}\" must not be empty"
                : $"{where}: \"{key}\" is missing");

    private static string? OptionalString(JsonObject entry, string key, string where) => entry[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new CatalogueException($"{where}: \"{key}\" must be a string"),
    };

    private static string[] Pipelines(JsonObject entry, string key, string where)
    {
        if (entry[key] is not JsonArray array)
        {
            throw new CatalogueException(entry.ContainsKey(key) && entry[key] is not null
                ? $"{where}: \"{key}\" must be an array of pipeline names"
                : $"{where}: \"{key}\" is missing");
        }

        var names = new string[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            names[i] = array[i] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
                ? text
                : throw new CatalogueException($"{where}: \"{key}\" must be an array of pipeline names");
        }

        return names.Length > 0
            ? names
            : throw new CatalogueException($"{where}: \"{key}\" must name at least one pipeline");
    }
}

/// <summary>A catalogue file is unreadable or wrong.</summary>
public sealed class CatalogueException(string message, Exception? innerException = null) : Exception(message, innerException);
