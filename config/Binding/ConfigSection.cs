using KojiComposer.Config.Toml;
using Tomlyn.Syntax;

namespace KojiComposer.Config.Binding;

/// <summary>
/// Reads one TOML table into typed values, recording problems instead of throwing so that one run reports all
/// of them. Every key a binder reads becomes a known key of the section; whatever the file holds beyond those is
/// reported by <see cref="ReportUnknownEntries"/>, so the list of accepted keys is the binding code itself and
/// cannot drift from it. The typed readers are split by facet: <c>ConfigSection.Scalars.cs</c> (strings,
/// numbers, booleans, choices) and <c>ConfigSection.Formats.cs</c> (URLs, principals, paths).
/// </summary>
internal sealed partial class ConfigSection
{
    private readonly TomlTableNode? _table;
    private readonly bool _isBroken;
    private readonly ConfigErrorList _errors;
    private readonly List<string> _knownKeys = [];
    private readonly List<string> _knownSections = [];
    private readonly OrderedDictionary<string, ConfigSection> _sections = new(StringComparer.Ordinal);

    private ConfigSection(string path, TomlTableNode? table, bool isBroken, ConfigErrorList errors)
    {
        Path = path;
        _table = table;
        _isBroken = isBroken;
        _errors = errors;
    }

    /// <summary>Dotted path of the section (<c>hub.retry</c>); empty for the document root.</summary>
    public string Path { get; }

    /// <summary>The reader for a whole document.</summary>
    public static ConfigSection Root(TomlTableNode root, ConfigErrorList errors) => new("", root, isBroken: false, errors);

    /// <summary>The sub-section <paramref name="name"/>; absent sections read as empty, so defaults apply.
    /// Asking twice gives the same reader.</summary>
    public ConfigSection Section(string name)
    {
        if (_sections.TryGetValue(name, out var existing))
        {
            return existing;
        }

        _knownSections.Add(name);
        var path = KeyPath(name);
        ConfigSection child;
        switch (Lookup(name))
        {
            case null:
                child = new ConfigSection(path, table: null, _isBroken, _errors);
                break;
            case TomlTableNode table:
                child = new ConfigSection(path, table, isBroken: false, _errors);
                break;
            case var other:
                WrongType(name, other, "a table");
                // Its keys are not there to read, but reporting each of them as missing would only repeat this.
                child = new ConfigSection(path, table: null, isBroken: true, _errors);
                break;
        }

        _sections.Add(name, child);
        return child;
    }

    /// <summary>Records a problem with <paramref name="key"/> found by a check of the value or across keys; the
    /// line is the key's, or the section header's when the key is absent. In a section that was the wrong type
    /// (see <see cref="Section"/>) nothing is recorded: every such problem would follow from that one.</summary>
    public void Error(string key, string problem)
    {
        if (!_isBroken)
        {
            _errors.Add(LineOf(key), KeyPath(key), problem);
        }
    }

    /// <summary>The names of the sub-tables this section holds, in file order (profiles of the CLI's file).</summary>
    public IReadOnlyList<string> TableNames() =>
        _table is null ? [] : [.. _table.Entries.Where(e => e.Value is TomlTableNode).Select(e => e.Key)];

    /// <summary>True when the file sets <paramref name="key"/> in this section, whatever its value.</summary>
    public bool Has(string key) => Lookup(key) is not null;

    /// <summary>Records that a required key is absent.</summary>
    public void Missing(string key) => Error(key, "required key is missing");

    /// <summary>Full dotted path of a key of this section.</summary>
    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Reports entries of this section and its read sub-sections that no binder asked for, naming the
    /// closest known key. Sections nobody read (unknown ones) are reported once, not entry by entry.</summary>
    public void ReportUnknownEntries()
    {
        if (_table is not null)
        {
            foreach (var (name, node) in _table.Entries)
            {
                if (!_knownKeys.Contains(name) && !_knownSections.Contains(name))
                {
                    ReportUnknown(name, node);
                }
            }
        }

        foreach (var section in _sections.Values)
        {
            section.ReportUnknownEntries();
        }
    }

    private void ReportUnknown(string name, TomlNode node)
    {
        var what = node is TomlTableNode { IsSection: true } or TomlTableArrayNode ? "unknown section" : "unknown key";
        var suggestion = ClosestMatch.Find(name, _knownKeys.Concat(_knownSections));
        var hint = suggestion is not null
            ? $"did you mean {DisplayKnown(suggestion)}?"
            : "expected one of: " + string.Join(", ", _knownKeys.Concat(_knownSections).Select(DisplayKnown));
        _errors.Add(node.Line, KeyPath(ConfigText.Key(name)), $"{what}; {hint}");
    }

    private string DisplayKnown(string name) => _knownSections.Contains(name) ? $"[{KeyPath(name)}]" : name;

    /// <summary>The entry for a key, which becomes known to the section.</summary>
    private TomlNode? Entry(string key)
    {
        if (!_knownKeys.Contains(key))
        {
            _knownKeys.Add(key);
        }

        return Lookup(key);
    }

    /// <summary>A value entry of the given syntax type; a wrong type is recorded and reads as absent.</summary>
    private bool TryRead<TSyntax>(string key, string expected, out TSyntax value)
        where TSyntax : ValueSyntax
    {
        switch (Entry(key))
        {
            case TomlValueNode { Syntax: TSyntax syntax }:
                value = syntax;
                return true;
            case { } other:
                WrongType(key, other, expected);
                break;
        }

        value = null!;
        return false;
    }

    private TomlNode? Lookup(string key) => _table?.Entries.GetValueOrDefault(key);

    /// <summary>The line of <paramref name="key"/>, or of the section header when the key is absent.</summary>
    public int? LineOf(string key) => Lookup(key)?.Line ?? (_table is { Line: > 0 } table ? table.Line : null);

    private void WrongType(string key, TomlNode node, string expected) =>
        _errors.Add(node.Line, KeyPath(key), $"expected {expected}, got {node.TypeName}");
}
