using System.Collections.Concurrent;
using System.Reflection;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Lets the writer enumerate string-keyed dictionaries whose value type is not <c>object?</c> and that implement
/// only the generic interfaces (most dictionaries also implement the non-generic <c>IDictionary</c>, which the writer
/// uses directly). One small adapter per type, built once by reflection.
/// </summary>
internal static class DictionaryAdapters
{
    private static readonly ConcurrentDictionary<Type, Func<object, IEnumerable<KeyValuePair<string, object?>>>?> Cache = new();

    private static readonly MethodInfo AdaptMethod =
        typeof(DictionaryAdapters).GetMethod(nameof(Adapt), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IEnumerable<KeyValuePair<string, object?>>? TryAdapt(object value) =>
        Cache.GetOrAdd(value.GetType(), Build)?.Invoke(value);

    private static Func<object, IEnumerable<KeyValuePair<string, object?>>>? Build(Type type)
    {
        foreach (var candidate in type.GetInterfaces())
        {
            if (!candidate.IsGenericType)
            {
                continue;
            }

            var definition = candidate.GetGenericTypeDefinition();
            var arguments = candidate.GetGenericArguments();
            if ((definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
                && arguments[0] == typeof(string))
            {
                return AdaptMethod.MakeGenericMethod(arguments[1])
                    .CreateDelegate<Func<object, IEnumerable<KeyValuePair<string, object?>>>>();
            }
        }

        return null;
    }

    private static IEnumerable<KeyValuePair<string, object?>> Adapt<TValue>(object value)
    {
        foreach (var (name, member) in (IEnumerable<KeyValuePair<string, TValue>>)value)
        {
            yield return new KeyValuePair<string, object?>(name, member);
        }
    }
}
