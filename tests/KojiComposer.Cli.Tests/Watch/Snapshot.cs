using System.Text;
using System.Text.RegularExpressions;

namespace KojiComposer.Cli.Tests.Watch;

/// <summary>
/// Expected output kept as files (Watch/Snapshots/NAME.txt, copied to the test output) and compared exactly after
/// <see cref="Normalize"/>. On a mismatch the output is written as NAME.received.txt next to the copy in the test
/// output, and the failure names both files and the first line that differs.
/// </summary>
internal static partial class Snapshot
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Watch", "Snapshots");

    public static void Match(string name, string received)
    {
        var expectedPath = Path.Combine(Directory, name + ".txt");
        var receivedPath = Path.Combine(Directory, name + ".received.txt");
        var expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath) : null;
        if (string.Equals(expected, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(receivedPath, received);
        var message = new StringBuilder();
        message.AppendLine(expected is null
            ? $"snapshot {name}: there is no {expectedPath}"
            : $"snapshot {name}: the output differs from {expectedPath}");
        if (expected is not null)
        {
            var want = expected.Split('\n');
            var got = received.Split('\n');
            var line = 0;
            while (line < want.Length && line < got.Length && string.Equals(want[line], got[line], StringComparison.Ordinal))
            {
                line++;
            }

            message.AppendLine($"first difference at line {line + 1}:");
            message.AppendLine($"  expected: {(line < want.Length ? want[line] : "(end)")}");
            message.AppendLine($"  received: {(line < got.Length ? got[line] : "(end)")}");
        }

        message.AppendLine($"received output written to {receivedPath}; if it is right, copy it to tests/KojiComposer.Cli.Tests/Watch/Snapshots/{name}.txt");
        message.AppendLine("--- received");
        message.Append(received);
        Assert.Fail(message.ToString());
    }

    /// <summary>Ids that differ from run to run become placeholders (compose UUIDs and their short form, task and
    /// build numbers); trailing blanks of table cells go.</summary>
    public static string Normalize(string text)
    {
        text = Uuid().Replace(text, "<compose>");
        text = ShortCompose().Replace(text, "compose <compose>");
        text = TaskId().Replace(text, "${1}task <task>");
        text = BuildId().Replace(text, "koji build <build>");
        text = WatchAgain().Replace(text, "kojicomposer watch <task>");
        return string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"compose [0-9a-f]{8}\b")]
    private static partial Regex ShortCompose();

    [GeneratedRegex(@"(koji |\b)task \d+")]
    private static partial Regex TaskId();

    [GeneratedRegex(@"koji build \d+")]
    private static partial Regex BuildId();

    [GeneratedRegex(@"kojicomposer watch \d+")]
    private static partial Regex WatchAgain();
}
