using System.Text.Json.Nodes;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// Task parameters (decoded XML-RPC) as JSON for the compose request: structs become objects, arrays arrays, nil
/// null. The koji CLI and Pungi read these options from JSON files, so only JSON's types occur; a base64 or
/// dateTime value could not have come from there and has no JSON form, so it is refused.
/// </summary>
internal static class XmlRpcJson
{
    /// <summary>The JSON form of <paramref name="value"/>.</summary>
    /// <param name="value">A decoded XML-RPC value.</param>
    /// <param name="path">Where it is, for the error (<c>opts.customizations.user[0]</c>).</param>
    /// <exception cref="KojiTaskFailure">1019 ParameterError naming the path of a value JSON cannot hold.</exception>
    public static JsonNode? ToJson(object? value, string path) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        XmlRpcStruct s => Object(s, path),
        object?[] a => Array(a, path),
        _ => throw new KojiTaskFailure(
            KojiTaskFailure.ParameterError, $"{path} is {OsbuildImageArguments.Describe(value)}, which a JSON document cannot hold"),
    };

    /// <summary>The JSON object of a struct.</summary>
    /// <exception cref="KojiTaskFailure">As <see cref="ToJson"/>.</exception>
    public static JsonObject Object(XmlRpcStruct value, string path)
    {
        var json = new JsonObject();
        foreach (var (key, member) in value)
        {
            json[key] = ToJson(member, $"{path}.{key}");
        }

        return json;
    }

    private static JsonArray Array(object?[] value, string path)
    {
        var json = new JsonArray();
        for (var i = 0; i < value.Length; i++)
        {
            json.Add(ToJson(value[i], $"{path}[{i}]"));
        }

        return json;
    }
}
