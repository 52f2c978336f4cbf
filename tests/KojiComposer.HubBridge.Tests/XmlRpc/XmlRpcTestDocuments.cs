using System.Buffers;
using System.Text;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>Helpers that wrap values in documents and run them through the codec.</summary>
internal static class XmlRpcTestDocuments
{
    public const string Header = "<?xml version='1.0'?>\n";

    /// <summary>A methodResponse with <paramref name="valueXml"/> as the single param, in Python's layout.</summary>
    public static string Response(string valueXml) =>
        $"{Header}<methodResponse>\n<params>\n<param>\n{valueXml}</param>\n</params>\n</methodResponse>\n";

    public static string Encode(object? value) => XmlRpcWriter.MethodResponseDocument(value);

    public static string EncodeCall(string method, params object?[] parameters)
    {
        var output = new ArrayBufferWriter<byte>();
        XmlRpcWriter.WriteMethodCall(output, method, parameters);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The value element the writer produces for <paramref name="value"/>, without the document around it.</summary>
    public static string EncodeValue(object? value)
    {
        string document = Encode(value);
        const string Start = "<param>\n";
        int start = document.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        int end = document.LastIndexOf("</param>", StringComparison.Ordinal);
        return document[start..end];
    }

    public static object? Decode(string document) => XmlRpcReader.ReadMethodResponse(document);

    public static object? RoundTrip(object? value) => Decode(Encode(value));
}
