using System.Net;
using System.Text.RegularExpressions;

namespace KojiComposer.Testing.Site;

/// <summary>Facts read from the recorded stock-hub conversation (koji-hub-transcripts.txt).</summary>
public static partial class ObservedTranscripts
{
    /// <summary>The <c>request</c> that <c>host.openTask</c> returned for the task created by <c>koji osbuild-image
    /// Fedora-Cloud 42 fedora-42 f42-candidate x86_64</c>: the methodCall the stock hub stored.</summary>
    public static string OsbuildImageRequestXml { get; } = ReadOpenTaskRequest();

    private static string ReadOpenTaskRequest()
    {
        using var stream = typeof(ObservedTranscripts).Assembly.GetManifestResourceStream("koji-hub-transcripts.txt")
            ?? throw new InvalidOperationException("koji-hub-transcripts.txt is not embedded");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var section = text[text.IndexOf("#################### host.openTask", StringComparison.Ordinal)..];
        var match = RequestMember().Match(section);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no request in the openTask transcript");
    }

    [GeneratedRegex(@"<name>request</name>\s*<value><string>(.*?)</string></value>", RegexOptions.Singleline)]
    private static partial Regex RequestMember();
}
