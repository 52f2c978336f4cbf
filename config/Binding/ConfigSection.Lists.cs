using KojiComposer.Config.Toml;
using Tomlyn.Syntax;

namespace KojiComposer.Config.Binding;

internal sealed partial class ConfigSection
{
    /// <summary>True when the file has this section (a <c>[header]</c>, dotted keys or an inline table).</summary>
    public bool IsPresent => _table is not null;

    /// <summary>An array of strings; null when absent or not an array of strings (recorded).</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        if (!TryRead<ArraySyntax>(key, "an array of strings", out var array))
        {
            return null;
        }

        var values = new List<string>(array.Items.ChildrenCount);
        foreach (var item in array.Items)
        {
            if (item.Value is StringValueSyntax text)
            {
                values.Add(text.Value!);
            }
            else
            {
                var got = new TomlValueNode(0, item.Value!).TypeName;
                Error(key, $"expected an array of strings, got an array holding {got}");
                return null;
            }
        }

        return values;
    }

    /// <summary>The tables of an array of tables (<c>[[web.users]]</c>, or an array of inline tables), each read
    /// like a section whose path is <c>name[index]</c> (0-based); absent arrays read as empty.</summary>
    public IReadOnlyList<ConfigSection> TableArray(string name)
    {
        if (!_knownSections.Contains(name))
        {
            _knownSections.Add(name);
        }

        switch (Lookup(name))
        {
            case null:
                return [];
            case TomlTableArrayNode array:
                var items = new List<ConfigSection>(array.Items.Count);
                for (var i = 0; i < array.Items.Count; i++)
                {
                    var item = new ConfigSection($"{KeyPath(name)}[{i}]", array.Items[i], _isBroken, _errors);
                    _sections[$"{name}[{i}]"] = item;
                    items.Add(item);
                }

                return items;
            case var other:
                WrongType(name, other, $"an array of tables ([[{KeyPath(name)}]])");
                return [];
        }
    }
}
