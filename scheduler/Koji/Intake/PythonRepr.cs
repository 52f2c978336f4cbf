using System.Globalization;
using System.Text;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>Python's <c>repr()</c> of the values the task's error texts quote, so that they read exactly as the
/// stock builder's (<c>Unsupported architecture(s): {'riscv64'}</c>).</summary>
internal static class PythonRepr
{
    /// <summary>A Python set of strings, elements in the given order: <c>{'a', 'b'}</c>.</summary>
    public static string Set(IEnumerable<string> items) => "{" + string.Join(", ", items.Select(String)) + "}";

    /// <summary>A Python <c>str</c>: single quotes unless the text holds a single quote and no double quote;
    /// backslash, the quote, <c>\n \r \t</c> and other unprintable ASCII escaped.</summary>
    public static string String(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }
}
