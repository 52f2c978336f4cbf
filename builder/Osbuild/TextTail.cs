using System.Text;

namespace KojiComposer.Builder.Osbuild;

/// <summary>The last <c>limit</c> characters of a text that may grow without bound (stray stderr of a crashing
/// osbuild), with a marker saying how much was dropped.</summary>
internal sealed class TextTail(int limit)
{
    private readonly StringBuilder _text = new();
    private long _dropped;

    /// <summary>Appends, dropping the oldest text beyond the limit.</summary>
    public void Append(string text)
    {
        _text.Append(text);
        if (_text.Length > limit)
        {
            var excess = _text.Length - limit;
            _text.Remove(0, excess);
            _dropped += excess;
        }
    }

    /// <summary>True when nothing was appended.</summary>
    public bool IsEmpty => _text.Length == 0 && _dropped == 0;

    /// <inheritdoc />
    public override string ToString() => _dropped == 0 ? _text.ToString() : $"[...{_dropped} characters dropped...]\n{_text}";
}
