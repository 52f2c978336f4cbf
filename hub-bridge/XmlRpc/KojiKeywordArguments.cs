namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Python keyword arguments for a Koji call. As the last element of a params list the writer emits them the way
/// koji's <c>encode_args</c> does (koji <c>koji/__init__.py</c>): one struct holding every keyword plus a final
/// member <c>__starstar</c> = <c>&lt;boolean&gt;1&lt;/boolean&gt;</c>, which the hub's <c>decode_args</c> strips
/// again (koji-wire.md §2.2). Anywhere else in a document it is rejected.
/// </summary>
/// <param name="Values">The keywords, emitted in enumeration order (keep it stable: insertion order).</param>
public sealed record KojiKeywordArguments(IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>The member koji appends to mark a struct as keyword arguments.</summary>
    public const string MarkerName = "__starstar";

    /// <summary>
    /// Keyword arguments from name/value pairs, in the given order:
    /// <c>KojiKeywordArguments.Of(("request", true))</c> for <c>getTaskInfo(1, request=True)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, repeated, or is <c>__starstar</c>.</exception>
    public static KojiKeywordArguments Of(params ReadOnlySpan<(string Name, object? Value)> arguments)
    {
        var values = new XmlRpcStruct(arguments.Length);
        foreach (var (name, value) in arguments)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(arguments));
            if (string.Equals(name, MarkerName, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{MarkerName}' is koji's keyword marker, not a keyword argument.", nameof(arguments));
            }

            if (!values.TryAdd(name, value))
            {
                throw new ArgumentException($"Keyword argument '{name}' is given twice.", nameof(arguments));
            }
        }

        return new KojiKeywordArguments(values);
    }
}
