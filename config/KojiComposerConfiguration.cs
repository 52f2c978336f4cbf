using KojiComposer.Config.Binding;
using KojiComposer.Config.Toml;

namespace KojiComposer.Config;

/// <summary>Reads the service configuration file into validated <see cref="KojiComposerOptions"/>.</summary>
public static class KojiComposerConfiguration
{
    /// <summary>Where the service looks for its configuration unless told otherwise.</summary>
    public const string DefaultPath = "/etc/kojicomposer/kojicomposer.toml";

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read, is not valid TOML, or breaks the schema;
    /// the exception lists every problem found.</exception>
    public static KojiComposerOptions Load(string path)
    {
        string toml;
        try
        {
            toml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(
                [new ConfigurationError(path, null, "", $"cannot read config file: {FileProbe.Describe(e, path)}")]);
        }

        return Parse(toml, path);
    }

    /// <summary>Validates configuration text; <paramref name="sourceName"/> names it in errors (usually its path).
    /// Keytab and krb5.conf paths in it are checked against the file system.</summary>
    /// <exception cref="ConfigurationException">The text is not valid TOML or breaks the schema; the exception
    /// lists every problem found. TOML syntax errors are reported alone: a broken document is not validated
    /// further.</exception>
    public static KojiComposerOptions Parse(string toml, string sourceName)
    {
        var errors = new ConfigErrorList(sourceName);
        var document = TomlDocumentReader.Read(toml, errors);
        errors.ThrowIfAny();

        var root = ConfigSection.Root(document!, errors);
        var options = KojiComposerOptions.Bind(root) with { Source = sourceName };
        root.ReportUnknownEntries();
        errors.ThrowIfAny();
        return options;
    }
}
