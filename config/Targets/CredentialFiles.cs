using KojiComposer.Config.Binding;
using KojiComposer.Config.Toml;
using Tomlyn.Syntax;

namespace KojiComposer.Config;

/// <summary>
/// Reads the secrets of a target's credentials file, for the config check at start-up and for the target at upload
/// time. What goes wrong is said by file and key name only: a value (or a parser's quote of the text around a
/// fault) never reaches a message.
/// </summary>
public static class CredentialFiles
{
    /// <summary>The non-empty top-level string values <paramref name="keys"/> of the TOML file
    /// <paramref name="path"/> (e.g. composer's Azure credentials file: <c>client_id</c>, <c>client_secret</c>).</summary>
    /// <exception cref="CredentialFileException">The file cannot be read, is not TOML, or lacks a key.</exception>
    public static IReadOnlyDictionary<string, string> ReadToml(string path, params string[] keys)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialFileException($"cannot read {ConfigText.Quote(path)}: {e.Message}");
        }

        var errors = new ConfigErrorList(path);
        var root = TomlDocumentReader.Read(text, errors);
        if (root is null || errors.HasErrors)
        {
            throw new CredentialFileException($"{ConfigText.Quote(path)} is not valid TOML");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (root.Entries.TryGetValue(key, out var node) && node is TomlValueNode { Syntax: StringValueSyntax { Value: { Length: > 0 } value } })
            {
                values[key] = value;
            }
            else
            {
                missing.Add(key);
            }
        }

        return missing.Count == 0
            ? values
            : throw new CredentialFileException($"{ConfigText.Quote(path)} has no {string.Join(" and no ", missing)} (non-empty strings)");
    }
}

/// <summary>A credentials file cannot be used; the message names the file and the key, never a secret.</summary>
public sealed class CredentialFileException(string message) : Exception(message);
