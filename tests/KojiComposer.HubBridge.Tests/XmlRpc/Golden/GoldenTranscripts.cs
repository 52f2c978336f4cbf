using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KojiComposer.HubBridge.Tests.XmlRpc.Golden;

/// <summary>One XML-RPC body recorded from a real hub, with the Content-Length the hub saw or sent.</summary>
public sealed record GoldenBody(string Section, bool IsRequest, string Text, int ContentLength)
{
    public byte[] Bytes => Encoding.UTF8.GetBytes(Text);

    /// <summary>The recording tool cut some long replies short ("...[trimmed]"); those are not complete documents.</summary>
    public bool IsTrimmed => Text.Contains("...[trimmed]", StringComparison.Ordinal);

    public override string ToString() => $"{Section} {(IsRequest ? "request" : "response")}";
}

/// <summary>
/// Parses koji-hub-transcripts.txt (spec/observed; embedded in this assembly): sections start with
/// "#################### name", the request body follows "--- request body:", the response body follows the
/// "--- response 200 OK [...]" line.
/// </summary>
public static partial class GoldenTranscripts
{
    private static readonly Lazy<IReadOnlyList<GoldenBody>> Cached = new(Load);

    public static IReadOnlyList<GoldenBody> All => Cached.Value;

    public static IEnumerable<GoldenBody> Requests => All.Where(b => b.IsRequest);

    public static IEnumerable<GoldenBody> Responses => All.Where(b => !b.IsRequest);

    public static GoldenBody Request(string section) => All.Single(b => b.IsRequest && b.Section == section);

    public static GoldenBody Response(string section) => All.Single(b => !b.IsRequest && b.Section == section);

    public static IEnumerable<object[]> RequestCases() => Requests.Select(b => new object[] { b.Section });

    public static IEnumerable<object[]> ResponseCases() => Responses.Select(b => new object[] { b.Section });

    [GeneratedRegex(@"Content-Length=(\d+)")]
    private static partial Regex RequestLength();

    [GeneratedRegex(@"\('Content-Length', '(\d+)'\)")]
    private static partial Regex ResponseLength();

    private static List<GoldenBody> Load()
    {
        using var stream = typeof(GoldenTranscripts).Assembly.GetManifestResourceStream("Golden.koji-hub-transcripts.txt")
            ?? throw new InvalidOperationException("The golden transcript resource is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string all = reader.ReadToEnd();
        var bodies = new List<GoldenBody>();
        foreach (string section in all.Split("#################### ", StringSplitOptions.RemoveEmptyEntries))
        {
            string name = section[..section.IndexOf('\n', StringComparison.Ordinal)];
            int requestAt = section.IndexOf("--- request body:\n", StringComparison.Ordinal);
            int responseAt = section.IndexOf("\n--- response ", StringComparison.Ordinal);
            string request = section[(requestAt + "--- request body:\n".Length)..responseAt];
            if (request.StartsWith("<?xml", StringComparison.Ordinal))
            {
                int length = int.Parse(RequestLength().Match(section).Groups[1].Value, CultureInfo.InvariantCulture);
                bodies.Add(new GoldenBody(name, true, request, length));
            }

            int responseLine = section.IndexOf('\n', responseAt + 1);
            string header = section[responseAt..responseLine];
            string response = section[(responseLine + 1)..];
            int end = response.IndexOf("</methodResponse>\n", StringComparison.Ordinal);
            response = end >= 0 ? response[..(end + "</methodResponse>\n".Length)] : response.TrimEnd('\n') + "\n";
            int responseLength = int.Parse(ResponseLength().Match(header).Groups[1].Value, CultureInfo.InvariantCulture);
            bodies.Add(new GoldenBody(name, false, response, responseLength));
        }

        return bodies;
    }
}
