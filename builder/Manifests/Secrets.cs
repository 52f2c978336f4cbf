using System.Text.Json.Nodes;
using KojiComposer.Contracts.Secrets;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// The secret strings of one request (user passwords and keys, FDO and ignition material, subscription keys) so
/// that a generator's stderr or stdout excerpt can be cleaned of them before it becomes an error's details: a
/// generator may quote the blueprint back when it rejects it. Credentials in URLs
/// (<c>https://user:password@host/…</c>, as repository and proxy URLs carry them) are masked too, whoever's they are.
/// </summary>
internal sealed class Secrets
{
    private const string Mask = UrlCredentials.Mask;
    private readonly List<string> _values = [];

    /// <summary>Remembers <paramref name="value"/> as a secret (short values are ignored: masking "a" everywhere
    /// would destroy the excerpt and protects nothing).</summary>
    public void Add(string? value)
    {
        if (value is { Length: >= 4 } && !_values.Contains(value, StringComparer.Ordinal))
        {
            _values.Add(value);
        }
    }

    /// <summary><paramref name="text"/> with every secret, and the credentials of every URL, replaced by a mask.</summary>
    public string Redact(string text)
    {
        foreach (var value in _values.OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return MaskUrlCredentials(text);
    }

    /// <summary><paramref name="text"/> with the userinfo of every URL in it (<c>https://user:pass@host</c> →
    /// <c>https://&lt;redacted&gt;@host</c>) masked.</summary>
    public static string MaskUrlCredentials(string text) => UrlCredentials.Redact(text);

    /// <summary>A copy of <paramref name="node"/> with URL credentials masked in every string it holds.</summary>
    public static JsonNode? MaskUrlCredentials(JsonNode? node) => node switch
    {
        null => null,
        JsonObject json => new JsonObject(json.Select(p => KeyValuePair.Create(p.Key, MaskUrlCredentials(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(MaskUrlCredentials)]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(MaskUrlCredentials(text)),
        _ => node.DeepClone(),
    };
}
