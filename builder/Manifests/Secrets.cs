namespace KojiComposer.Builder.Manifests;

/// <summary>
/// The secret strings of one request (user passwords and keys, FDO and ignition material, subscription keys) so
/// that a generator's stderr or stdout excerpt can be cleaned of them before it becomes an error's details: a
/// generator may quote the blueprint back when it rejects it.
/// </summary>
internal sealed class Secrets
{
    private const string Mask = "<redacted>";
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

    /// <summary><paramref name="text"/> with every secret replaced by a mask.</summary>
    public string Redact(string text)
    {
        foreach (var value in _values.OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
