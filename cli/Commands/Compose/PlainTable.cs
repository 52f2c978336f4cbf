namespace KojiComposer.Cli.Commands.Compose;

/// <summary>Columns padded to their widest cell and separated by two spaces; the last column is not padded (no
/// trailing blanks), so the lines stay the same for scripts whatever the terminal.</summary>
internal static class PlainTable
{
    public static IEnumerable<string> Lines(IReadOnlyList<string>? headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var all = headers is null ? rows : [headers, .. rows];
        if (all.Count == 0)
        {
            yield break;
        }

        var columns = all.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(c => all.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        foreach (var row in all)
        {
            yield return string.Join("  ", row.Select((cell, c) => c == row.Count - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd();
        }
    }
}
