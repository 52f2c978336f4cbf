using System.Text;

namespace KojiComposer.Cli.Koji;

/// <summary>
/// Python's <c>pprint.pformat</c> with the defaults koji-osbuild's CLI prints its opts with (<c>pprint(opts)</c>):
/// indent 1, width 80, no depth limit, not compact, dict keys sorted. It follows CPython's <c>PrettyPrinter</c>
/// (Lib/pprint.py): a value whose one-line repr fits in the room left on the line is written as that repr;
/// otherwise a dict puts each <c>key: value</c> on its own line aligned after the <c>{</c>, a list each item
/// aligned after the <c>[</c>, and a str is split into several adjacent literals (after whitespace, and at line
/// ends), wrapped in parentheses at the top level. The room for a value accounts for what still follows it on its
/// line (the closing brackets, or the comma between items): CPython's "allowance".
/// </summary>
internal sealed class PythonPprint
{
    private readonly int _width;
    private readonly StringBuilder _out = new();

    private PythonPprint(int width)
    {
        _width = width;
    }

    /// <summary><c>pprint.pformat(value, width=width)</c>: the text without a final newline.</summary>
    public static string Format(object? value, int width = 80)
    {
        var printer = new PythonPprint(width);
        printer.Write(value, 0, 0, 0);
        return printer._out.ToString();
    }

    // PrettyPrinter._format: the one-line repr if it fits, else the type's multi-line layout one level deeper.
    private void Write(object? value, int indent, int allowance, int level)
    {
        var rep = PythonRepr.Of(value, sortDicts: true);
        if (PythonRepr.Length(rep) > _width - indent - allowance)
        {
            if (value is string s)
            {
                WriteString(s, indent, allowance, level + 1);
                return;
            }

            if (PythonValues.AsDict(value) is { } dict)
            {
                _out.Append('{');
                if (dict.Count > 0)
                {
                    WriteDictItems(PythonValues.Sorted(dict).ToList(), indent, allowance + 1, level + 1);
                }

                _out.Append('}');
                return;
            }

            if (PythonValues.AsList(value) is { } list)
            {
                _out.Append('[');
                WriteItems(list, indent, allowance + 1, level + 1);
                _out.Append(']');
                return;
            }
        }

        _out.Append(rep);
    }

    // PrettyPrinter._format_dict_items: "key: value" per line; the value's room starts after the key.
    private void WriteDictItems(List<KeyValuePair<string, object?>> items, int indent, int allowance, int level)
    {
        indent += 1;
        var delimiter = ",\n" + new string(' ', indent);
        for (var i = 0; i < items.Count; i++)
        {
            var last = i == items.Count - 1;
            var key = PythonRepr.String(items[i].Key);
            _out.Append(key).Append(": ");
            Write(items[i].Value, indent + PythonRepr.Length(key) + 2, last ? allowance : 1, level);
            if (!last)
            {
                _out.Append(delimiter);
            }
        }
    }

    // PrettyPrinter._format_items (compact=False): one item per line.
    private void WriteItems(IReadOnlyList<object?> items, int indent, int allowance, int level)
    {
        indent += 1;
        var delimiter = ",\n" + new string(' ', indent);
        for (var i = 0; i < items.Count; i++)
        {
            var last = i == items.Count - 1;
            if (i > 0)
            {
                _out.Append(delimiter);
            }

            Write(items[i], indent, last ? allowance : 1, level);
        }
    }

    // PrettyPrinter._pprint_str: each line (ends kept) as one literal if it fits, else cut into pieces that end
    // after a run of whitespace, each as long as fits; pieces of the last line leave room for the allowance.
    private void WriteString(string s, int indent, int allowance, int level)
    {
        if (s.Length == 0)
        {
            _out.Append(PythonRepr.String(s));
            return;
        }

        if (level == 1)
        {
            // The top-level string gets parentheses: one more column, inside and after.
            indent += 1;
            allowance += 1;
        }

        var chunks = new List<string>();
        var lines = SplitLinesKeepEnds(s);
        var maxWidth = _width - indent;
        var maxWidthLastLine = maxWidth;
        for (var i = 0; i < lines.Count; i++)
        {
            var lastLine = i == lines.Count - 1;
            var rep = PythonRepr.String(lines[i]);
            if (lastLine)
            {
                maxWidthLastLine -= allowance;
            }

            if (PythonRepr.Length(rep) <= maxWidthLastLine)
            {
                chunks.Add(rep);
                continue;
            }

            var parts = WordsWithTrailingSpace(lines[i]);
            var room = maxWidth;
            var current = "";
            for (var j = 0; j < parts.Count; j++)
            {
                var candidate = current + parts[j];
                if (j == parts.Count - 1 && lastLine)
                {
                    room -= allowance;
                }

                if (PythonRepr.Length(PythonRepr.String(candidate)) > room)
                {
                    if (current.Length > 0)
                    {
                        chunks.Add(PythonRepr.String(current));
                    }

                    current = parts[j];
                }
                else
                {
                    current = candidate;
                }
            }

            if (current.Length > 0)
            {
                chunks.Add(PythonRepr.String(current));
            }
        }

        if (chunks.Count == 1)
        {
            _out.Append(chunks[0]);
            return;
        }

        if (level == 1)
        {
            _out.Append('(');
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            if (i > 0)
            {
                _out.Append('\n').Append(' ', indent);
            }

            _out.Append(chunks[i]);
        }

        if (level == 1)
        {
            _out.Append(')');
        }
    }

    // str.splitlines(keepends=True): \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029 end a line.
    private static List<string> SplitLinesKeepEnds(string s)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                {
                    i++;
                }

                lines.Add(s[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }

        return lines;
    }

    // re.findall(r'\S*\s*', line) without its final empty match: runs of non-space followed by their whitespace.
    private static List<string> WordsWithTrailingSpace(string line)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            var start = i;
            while (i < line.Length && !PythonValues.IsSpace(line[i]))
            {
                i++;
            }

            while (i < line.Length && PythonValues.IsSpace(line[i]))
            {
                i++;
            }

            parts.Add(line[start..i]);
        }

        return parts;
    }
}
