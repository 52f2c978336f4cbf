using Tomlyn.Syntax;

namespace KojiComposer.Config.Toml;

/// <summary>
/// A node of the resolved document: what a key names once table headers, dotted keys and inline tables are
/// merged. Each node remembers the 1-based line that introduced it, so errors can point at it.
/// </summary>
internal abstract class TomlNode(int line)
{
    /// <summary>1-based line of the key, header or value that introduced the node.</summary>
    public int Line { get; protected set; } = line;

    /// <summary>The node's TOML type with an article, as used in "expected …, got …".</summary>
    public abstract string TypeName { get; }
}

/// <summary>A scalar or array value, kept as Tomlyn's syntax node (it carries the parsed value).</summary>
internal sealed class TomlValueNode(int line, ValueSyntax syntax) : TomlNode(line)
{
    public ValueSyntax Syntax { get; } = syntax;

    public override string TypeName => Syntax switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        DateTimeValueSyntax => "a date-time",
        ArraySyntax => "an array",
        _ => "a " + Syntax.Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A table: a <c>[header]</c> section, an implicit table from a dotted key, or an inline table.</summary>
internal sealed class TomlTableNode(int line, bool isSection) : TomlNode(line)
{
    /// <summary>Entries in document order.</summary>
    public OrderedDictionary<string, TomlNode> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>True when a <c>[header]</c> defines the table (errors then call it a section, not a key).</summary>
    public bool IsSection { get; private set; } = isSection;

    public override string TypeName => "a table";

    /// <summary>An explicit header for a table that was only implied so far (<c>[a.b]</c> after <c>[a.b.c]</c>).</summary>
    public void MarkSection(int line)
    {
        IsSection = true;
        Line = line;
    }
}

/// <summary>An array of tables (<c>[[name]]</c>, or an array of inline tables), e.g. <c>[[web.users]]</c>.</summary>
internal sealed class TomlTableArrayNode(int line) : TomlNode(line)
{
    public List<TomlTableNode> Items { get; } = [];

    public override string TypeName => "an array of tables";
}
