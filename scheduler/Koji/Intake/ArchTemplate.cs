using System.Text;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// <c>$arch</c> in repository URLs and ostree refs (osbuildimage-task.md §4 step 4), with Python
/// <c>string.Template.substitute(arch=…)</c> semantics: <c>$$</c> is a literal <c>$</c>; <c>$name</c> takes the
/// longest identifier (<c>[_a-zA-Z][_a-zA-Z0-9]*</c>); <c>${name}</c> is braced; the name is looked up
/// case-sensitively and only <c>arch</c> exists; any other <c>$</c> is an invalid placeholder. Where upstream raises
/// <c>KeyError</c>/<c>ValueError</c> we fail the task with BuildError before anything is written.
/// </summary>
internal static class ArchTemplate
{
    /// <summary><paramref name="template"/> with the placeholders replaced by <paramref name="arch"/>.</summary>
    /// <exception cref="KojiTaskFailure">1005 <c>Invalid placeholder in '&lt;url&gt;': …</c>.</exception>
    public static string Substitute(string template, string arch)
    {
        var sb = new StringBuilder(template.Length + 8);
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            sb.Append(template, i, dollar - i);
            var next = dollar + 1;
            if (next < template.Length && template[next] == '$')
            {
                sb.Append('$');
                i = next + 1;
                continue;
            }

            if (next < template.Length && IsIdentifierStart(template[next]))
            {
                var end = IdentifierEnd(template, next);
                sb.Append(Lookup(template, template[next..end], arch));
                i = end;
                continue;
            }

            if (next + 1 < template.Length && template[next] == '{' && IsIdentifierStart(template[next + 1]))
            {
                var end = IdentifierEnd(template, next + 1);
                if (end < template.Length && template[end] == '}')
                {
                    sb.Append(Lookup(template, template[(next + 1)..end], arch));
                    i = end + 1;
                    continue;
                }
            }

            throw Invalid(template, $"the '$' at position {dollar + 1} starts no placeholder (write $$ for a literal '$')");
        }

        return sb.ToString();
    }

    /// <summary>Checks <paramref name="template"/> without needing an architecture.</summary>
    /// <exception cref="KojiTaskFailure">As <see cref="Substitute"/>.</exception>
    public static void Check(string template) => Substitute(template, "x86_64");

    private static string Lookup(string template, string name, string arch) =>
        string.Equals(name, "arch", StringComparison.Ordinal)
            ? arch
            : throw Invalid(template, $"unknown name {PythonRepr.String(name)} (only $arch, ${{arch}} and $$ are replaced)");

    private static int IdentifierEnd(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && (IsIdentifierStart(text[end]) || char.IsAsciiDigit(text[end])))
        {
            end++;
        }

        return end;
    }

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static KojiTaskFailure Invalid(string template, string detail) =>
        new(KojiTaskFailure.BuildError, $"Invalid placeholder in '{template}': {detail}");
}
