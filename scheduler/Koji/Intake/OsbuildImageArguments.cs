using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// The parameters of an <c>osbuildImage</c> task (osbuildimage-task.md §1): <c>name, version, distro, image_type,
/// target, arches, opts</c>, as <c>getTaskInfo(id, request=True)</c> decodes them. <c>opts</c> may come as the 7th
/// positional struct or inside a trailing <c>{"opts": …, "__starstar": true}</c> struct; <c>image_type</c> as a
/// string or a one-element list.
/// </summary>
public sealed record OsbuildImageArguments(
    string Name, string Version, string Distro, string ImageType, string Target, IReadOnlyList<string> Arches, XmlRpcStruct Opts)
{
    private static readonly string[] ParameterNames = ["name", "version", "distro", "image_type", "target", "arches", "opts"];

    /// <summary>Reads the task parameters.</summary>
    /// <exception cref="KojiTaskFailure">1019 ParameterError naming what is wrong.</exception>
    public static OsbuildImageArguments Parse(object?[] request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var positional = request;
        XmlRpcStruct? keywords = null;

        // koji encode_args: keyword arguments travel as one trailing struct marked __starstar (koji-wire.md §2.4).
        if (request.Length > 0 && request[^1] is XmlRpcStruct last && last.TryGetValue("__starstar", out var marker) && marker is true)
        {
            keywords = last;
            positional = request[..^1];
        }

        if (positional.Length is not (6 or 7))
        {
            throw Fail($"osbuildImage takes the parameters name, version, distro, image_type, target, arches and opts; got {positional.Length} positional parameters");
        }

        var hasOpts = positional.Length == 7;
        var opts = hasOpts ? positional[6] : null;
        foreach (var (key, value) in keywords ?? [])
        {
            switch (key)
            {
                case "__starstar":
                case "priority": // checked by the hub plugin and never used (§1.3)
                    break;
                case "opts" when hasOpts:
                    throw Fail("opts is given both as the 7th parameter and as a keyword parameter");
                case "opts":
                    hasOpts = true;
                    opts = value;
                    break;
                default:
                    throw Fail($"unexpected keyword parameter {PythonRepr.String(key)} (osbuildImage takes opts and priority)");
            }
        }

        if (!hasOpts)
        {
            throw Fail("opts is missing (an empty struct when there are no options)");
        }

        if (opts is not XmlRpcStruct options)
        {
            throw Fail($"opts must be a struct, not {Describe(opts)}");
        }

        var arguments = new OsbuildImageArguments(
            Text(positional[0], ParameterNames[0]),
            Text(positional[1], ParameterNames[1]),
            Text(positional[2], ParameterNames[2]),
            ImageTypeOf(positional[3]),
            Text(positional[4], ParameterNames[4]),
            ArchesOf(positional[5]),
            options);
        _ = OsbuildImageOptions.Read(options); // the options are checked here, so the plan can rely on them
        return arguments;
    }

    /// <summary>What a value is, in words, for error texts: <c>None</c>, <c>an integer (3)</c>, <c>an array</c>.</summary>
    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"a string ({PythonRepr.String(s)})",
        bool b => b ? "a boolean (True)" : "a boolean (False)",
        int or long => $"an integer ({Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)})",
        double d => $"a double ({d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})",
        object?[] => "an array",
        XmlRpcStruct => "a struct",
        byte[] => "base64 data",
        DateTime or DateTimeOffset => "a dateTime",
        _ => value.GetType().Name,
    };

    internal static KojiTaskFailure Fail(string message) => new(KojiTaskFailure.ParameterError, message);

    private static string Text(object? value, string name) =>
        value is string { Length: > 0 } text ? text : throw Fail($"{name} must be a non-empty string, not {Describe(value)}");

    // The hub plugin accepts ["x"] (deprecated) and stores "x"; a task made by another hub may still hold the list.
    private static string ImageTypeOf(object? value) => value switch
    {
        string => Text(value, "image_type"),
        object?[] { Length: 1 } list => Text(list[0], "image_type[0]"),
        object?[] list => throw Fail($"image_type must be a string or an array of exactly one string, not an array of {list.Length}"),
        _ => throw Fail($"image_type must be a string or an array of exactly one string, not {Describe(value)}"),
    };

    private static string[] ArchesOf(object? value)
    {
        if (value is not object?[] list)
        {
            throw Fail($"arches must be an array of strings, not {Describe(value)}");
        }

        if (list.Length == 0)
        {
            throw Fail("arches must name at least one architecture");
        }

        var arches = new string[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            arches[i] = Text(list[i], $"arches[{i}]");
            if (Array.IndexOf(arches, arches[i], 0, i) >= 0)
            {
                // One image per arch: a second one would collide with the first in the build (same NVR.arch file).
                throw Fail($"arches lists {PythonRepr.String(arches[i])} twice");
            }
        }

        return arches;
    }
}
