using KojiComposer.Config.Binding;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace KojiComposer.Config.Toml;

/// <summary>
/// Turns TOML text into a tree of <see cref="TomlNode"/>s with line numbers, or into the parser's diagnostics.
/// We walk Tomlyn's syntax tree rather than deserialize into a model because the tree keeps the position of
/// every key, which the error messages need.
/// </summary>
internal static class TomlDocumentReader
{
    /// <summary>Parses <paramref name="toml"/>; adds Tomlyn's errors to <paramref name="errors"/> and returns
    /// null when there are any (a broken document is not bound: its tree would only produce follow-on noise).</summary>
    public static TomlTableNode? Read(string toml, ConfigErrorList errors)
    {
        // validate: true runs Tomlyn's semantic checks too (a key or table defined twice, a dotted key
        // reopening a table), so the tree below never has conflicting definitions.
        var document = SyntaxParser.Parse(toml, errors.File, validate: true);
        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind == DiagnosticMessageKind.Error)
            {
                var start = diagnostic.Span.Start;
                errors.Add(start.Line + 1, "", $"invalid TOML at column {start.Column + 1}: {OneLine(diagnostic.Message)}");
            }
        }

        if (errors.HasErrors)
        {
            return null;
        }

        var root = new TomlTableNode(line: 0, isSection: true);
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue);
        }

        foreach (var table in document.Tables)
        {
            var line = LineOf(table);
            var path = KeyParts(table.Name!);
            var target = table is TableArraySyntax ? AddTableArrayItem(root, path, line) : OpenSection(root, path, line);
            foreach (var keyValue in table.Items)
            {
                AddKeyValue(target, keyValue);
            }
        }

        return root;
    }

    private static TomlTableNode OpenSection(TomlTableNode root, IReadOnlyList<string> path, int line)
    {
        var parent = Descend(root, path.Take(path.Count - 1), line);
        if (parent.Entries.TryGetValue(path[^1], out var existing))
        {
            var table = (TomlTableNode)existing;
            table.MarkSection(line);
            return table;
        }

        var created = new TomlTableNode(line, isSection: true);
        parent.Entries.Add(path[^1], created);
        return created;
    }

    private static TomlTableNode AddTableArrayItem(TomlTableNode root, IReadOnlyList<string> path, int line)
    {
        var parent = Descend(root, path.Take(path.Count - 1), line);
        if (!parent.Entries.TryGetValue(path[^1], out var existing))
        {
            existing = new TomlTableArrayNode(line);
            parent.Entries.Add(path[^1], existing);
        }

        var item = new TomlTableNode(line, isSection: true);
        ((TomlTableArrayNode)existing).Items.Add(item);
        return item;
    }

    private static void AddKeyValue(TomlTableNode table, KeyValueSyntax keyValue)
    {
        var line = LineOf(keyValue);
        var path = KeyParts(keyValue.Key!);
        var parent = Descend(table, path.Take(path.Count - 1), line);
        parent.Entries.Add(path[^1], ToNode(keyValue.Value!, line));
    }

    private static TomlNode ToNode(ValueSyntax value, int line)
    {
        switch (value)
        {
            case InlineTableSyntax inline:
                return InlineTable(inline, line);
            case ArraySyntax { Items.ChildrenCount: > 0 } array when array.Items.All(i => i.Value is InlineTableSyntax):
                // users = [{ name = "a" }, { name = "b" }] means the same as two [[users]] tables.
                var tables = new TomlTableArrayNode(line);
                foreach (var item in array.Items)
                {
                    tables.Items.Add(InlineTable((InlineTableSyntax)item.Value!, LineOf(item)));
                }

                return tables;
            default:
                return new TomlValueNode(line, value);
        }
    }

    private static TomlTableNode InlineTable(InlineTableSyntax inline, int line)
    {
        var table = new TomlTableNode(line, isSection: false);
        foreach (var item in inline.Items)
        {
            AddKeyValue(table, item.KeyValue!);
        }

        return table;
    }

    /// <summary>Follows (and creates) the tables of a dotted path. Through an array of tables it goes into the
    /// last element, as TOML defines for <c>[a.b]</c> after <c>[[a]]</c>.</summary>
    private static TomlTableNode Descend(TomlTableNode table, IEnumerable<string> path, int line)
    {
        foreach (var part in path)
        {
            if (!table.Entries.TryGetValue(part, out var next))
            {
                next = new TomlTableNode(line, isSection: false);
                table.Entries.Add(part, next);
            }

            table = next is TomlTableArrayNode array ? array.Items[^1] : (TomlTableNode)next;
        }

        return table;
    }

    private static List<string> KeyParts(KeySyntax key)
    {
        var parts = new List<string> { KeyPart(key.Key!) };
        foreach (var dotted in key.DotKeys)
        {
            parts.Add(KeyPart(dotted.Key!));
        }

        return parts;
    }

    // A bare key's token: Text is the key itself (the token's ToString() would include trailing trivia, "url ").
    private static string KeyPart(BareKeyOrStringValueSyntax part) => part switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => part.ToString()!.Trim(),
    };

    private static int LineOf(SyntaxNode node) => node.Span.Start.Line + 1;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
