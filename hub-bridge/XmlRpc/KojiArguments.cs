namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>The hub side of koji's keyword-argument convention (koji-wire.md §2.2).</summary>
public static class KojiArguments
{
    /// <summary>
    /// Splits decoded params into positional arguments and keyword arguments, like koji's <c>decode_args</c>: when
    /// the last param is a struct whose <c>__starstar</c> member is true, that struct is taken off the list and
    /// returned, without the marker, as the keywords. The input is not modified.
    /// </summary>
    /// <returns>The positional params, and the keywords or null when the call had none.</returns>
    public static (object?[] Positional, XmlRpcStruct? Keywords) Split(IReadOnlyList<object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        int count = parameters.Count;
        if (count > 0
            && parameters[count - 1] is IReadOnlyDictionary<string, object?> last
            && last.TryGetValue(KojiKeywordArguments.MarkerName, out var marker)
            && IsTrue(marker))
        {
            var keywords = new XmlRpcStruct(last.Count - 1);
            foreach (var (name, value) in last)
            {
                if (!string.Equals(name, KojiKeywordArguments.MarkerName, StringComparison.Ordinal))
                {
                    keywords[name] = value;
                }
            }

            return (Copy(parameters, count - 1), keywords);
        }

        return (Copy(parameters, count), null);
    }

    // decode_args tests the marker for Python truth; true and non-zero integers are what a client can send.
    private static bool IsTrue(object? marker) => marker switch
    {
        bool b => b,
        int i => i != 0,
        long l => l != 0,
        _ => false,
    };

    private static object?[] Copy(IReadOnlyList<object?> parameters, int count)
    {
        var result = new object?[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = parameters[i];
        }

        return result;
    }
}
