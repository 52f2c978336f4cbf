using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Scheduler.Koji;

/// <summary>XML-RPC values (as the hub bridge decodes them) as JSON and back, for task requests and results.</summary>
internal static class XmlRpcJson
{
    /// <summary>A struct becomes an object, an array an array, nil null; dateTime is written ISO 8601, base64 as its
    /// base64 text.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        XmlRpcStruct s => new JsonObject(s.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        IDictionary<string, object?> d => new JsonObject(d.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        string text => JsonValue.Create(text),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        DateTime t => JsonValue.Create(t.ToString("s", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("s", CultureInfo.InvariantCulture)),
        System.Collections.IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
