using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Python;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// The argument schema of the koji-osbuild hub plugin's <c>osbuildImage</c> (osbuildimage-task.md §1.2, §2), and a
/// small JSON-Schema (draft-04) validator for it that reports the way python-jsonschema's <c>best_match</c> does: the
/// least deep error; inside oneOf/anyOf the error of the one branch whose type fits the instance, else
/// <c>X is not valid under any of the given schemas</c>. The first line of the text is what the stock hub says; the
/// "Failed validating" context lines follow its layout, not its exact pretty-printing.
/// </summary>
internal static class OsbuildImageSchema
{
    private static XmlRpcStruct S(params (string Key, object? Value)[] members) => PythonRepr.Dict(members);

    private static readonly XmlRpcStruct StringType = S(("type", "string"));

    private static readonly XmlRpcStruct StringList = S(("type", "array"), ("items", StringType));

    private static XmlRpcStruct Closed(string[] required, params (string Key, object? Value)[] properties)
    {
        var schema = S(("type", "object"), ("additionalProperties", false));
        if (required.Length > 0)
        {
            schema["required"] = required.Cast<object?>().ToArray();
        }

        schema["properties"] = S(properties);
        return schema;
    }

    private static readonly XmlRpcStruct Repo = Closed(["baseurl"], ("baseurl", StringType), ("package_sets", StringList));

    private static readonly XmlRpcStruct Options = Closed(
        [],
        ("customizations", S(("type", "object"), ("additionalProperties", true))),
        ("ostree", Closed([], ("parent", StringType), ("ref", StringType), ("url", StringType))),
        ("upload_options", S(("anyOf", new object?[]
        {
            Closed(["region", "share_with_accounts"], ("region", StringType), ("snapshot_name", StringType), ("share_with_accounts", StringList)),
            Closed(["region"], ("region", StringType)),
            Closed(["region"], ("region", StringType), ("bucket", StringType), ("image_name", StringType), ("share_with_accounts", StringList)),
            Closed(["tenant_id", "subscription_id", "resource_group"], ("tenant_id", StringType), ("subscription_id", StringType), ("resource_group", StringType), ("location", StringType), ("image_name", StringType)),
            Closed([], ("name", StringType), ("tag", StringType)),
        }))),
        ("repo", S(("type", "array"), ("items", S(("oneOf", new object?[] { StringType, Repo }))))),
        ("release", StringType),
        ("skip_tag", S(("type", "boolean"))));

    /// <summary>The whole argument array: name, version, distro, image_type, target, arches, opts.</summary>
    public static readonly XmlRpcStruct Arguments = S(
        ("type", "array"),
        ("minItems", 7),
        ("items", new object?[]
        {
            StringType, StringType, StringType,
            S(("oneOf", new object?[] { StringType, S(("type", "array"), ("minItems", 1), ("maxItems", 1), ("items", StringType)) })),
            StringType,
            S(("type", "array"), ("minItems", 1), ("items", StringType)),
            Options,
        }));

    private sealed record Error(string Message, string Keyword, List<object> SchemaPath, List<object> InstancePath, object? Instance, XmlRpcStruct Schema);

    /// <summary>The ParameterError text for an invalid instance, or null when it is valid.</summary>
    public static string? Validate(object? instance, XmlRpcStruct schema)
    {
        var error = Best(Errors(instance, schema, [], []));
        if (error is null)
        {
            return null;
        }

        return $"{error.Message}\n\nFailed validating {PythonRepr.Of(error.Keyword)} in schema{Path(error.SchemaPath)}:\n    {PythonRepr.Of(error.Schema)}\n\n" +
               $"On instance{Path(error.InstancePath)}:\n    {PythonRepr.Of(error.Instance)}";
    }

    private static string Path(List<object> path) => string.Concat(path.Select(p => $"[{PythonRepr.Of(p)}]"));

    private static Error? Best(List<Error> errors) => errors.OrderBy(e => e.InstancePath.Count).FirstOrDefault();

    private static List<Error> Errors(object? instance, XmlRpcStruct schema, List<object> schemaPath, List<object> instancePath)
    {
        var errors = new List<Error>();
        Error Fail(string message, string keyword) => new(message, keyword, [.. schemaPath, keyword], instancePath, instance, schema);
        foreach (var (keyword, value) in schema)
        {
            switch (keyword)
            {
                case "type" when !IsType(instance, (string)value!):
                    errors.Add(Fail($"{PythonRepr.Of(instance)} is not of type {PythonRepr.Of(value)}", keyword));
                    break;
                case "minItems" when instance is object?[] list && list.Length < (int)value!:
                    errors.Add(Fail($"{PythonRepr.Of(instance)} is too short", keyword));
                    break;
                case "maxItems" when instance is object?[] list && list.Length > (int)value!:
                    errors.Add(Fail($"{PythonRepr.Of(instance)} is too long", keyword));
                    break;
                case "items" when instance is object?[] list:
                    for (var i = 0; i < list.Length; i++)
                    {
                        var (itemSchema, path) = value is object?[] tuple
                            ? (i < tuple.Length ? (XmlRpcStruct)tuple[i]! : null, new List<object> { "items", i })
                            : ((XmlRpcStruct)value!, new List<object> { "items" });
                        if (itemSchema is not null)
                        {
                            errors.AddRange(Errors(list[i], itemSchema, [.. schemaPath, .. path], [.. instancePath, i]));
                        }
                    }

                    break;
                case "required" when instance is XmlRpcStruct map:
                    foreach (var name in ((object?[])value!).Cast<string>().Where(n => !map.ContainsKey(n)))
                    {
                        errors.Add(Fail($"{PythonRepr.Of(name)} is a required property", keyword));
                    }

                    break;
                case "properties" when instance is XmlRpcStruct map:
                    foreach (var (name, sub) in (XmlRpcStruct)value!)
                    {
                        if (map.TryGetValue(name, out var member))
                        {
                            errors.AddRange(Errors(member, (XmlRpcStruct)sub!, [.. schemaPath, "properties", name], [.. instancePath, name]));
                        }
                    }

                    break;
                case "additionalProperties" when value is false && instance is XmlRpcStruct map:
                    var known = schema.TryGetValue("properties", out var p) ? (XmlRpcStruct)p! : [];
                    var extras = map.Keys.Where(k => !known.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
                    if (extras.Count > 0)
                    {
                        var names = string.Join(", ", extras.Select(e => PythonRepr.Of(e)));
                        errors.Add(Fail($"Additional properties are not allowed ({names} {(extras.Count == 1 ? "was" : "were")} unexpected)", keyword));
                    }

                    break;
                case "oneOf" or "anyOf":
                    var branches = ((object?[])value!).Cast<XmlRpcStruct>().ToList();
                    var results = branches.Select((b, i) => Errors(instance, b, [.. schemaPath, keyword, i], instancePath)).ToList();
                    var valid = results.Count(r => r.Count == 0);
                    if (valid == 0)
                    {
                        var fitting = branches.Select((b, i) => (b, i)).Where(x => !x.b.TryGetValue("type", out var t) || IsType(instance, (string)t!)).ToList();
                        errors.Add(fitting.Count == 1 && Best(results[fitting[0].i]) is { } inner
                            ? inner
                            : Fail($"{PythonRepr.Of(instance)} is not valid under any of the given schemas", keyword));
                    }
                    else if (valid > 1 && keyword == "oneOf")
                    {
                        errors.Add(Fail($"{PythonRepr.Of(instance)} is valid under each of {string.Join(", ", branches.Where((_, i) => results[i].Count == 0).Select(b => PythonRepr.Of(b)))}", keyword));
                    }

                    break;
            }
        }

        return errors;
    }

    private static bool IsType(object? instance, string type) => type switch
    {
        "string" => instance is string,
        "object" => instance is XmlRpcStruct,
        "array" => instance is object?[],
        "boolean" => instance is bool,
        "integer" => instance is int or long,
        "number" => instance is int or long or double,
        "null" => instance is null,
        _ => false,
    };
}
