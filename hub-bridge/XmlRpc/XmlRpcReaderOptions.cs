namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Limits the reader enforces on untrusted documents. Immutable: build one with an object initializer and share it.
/// </summary>
public sealed record XmlRpcReaderOptions
{
    /// <summary>The limits used when a caller passes no options.</summary>
    public static XmlRpcReaderOptions Default { get; } = new();

    // The parser recurses once per container; this keeps the deepest allowed document well inside a thread's stack.
    private const int MaxAllowedDepth = 256;

    private readonly int _maxDepth = 64;
    private readonly int _maxDocumentBytes = 256 * 1024 * 1024;
    private readonly int? _maxStringBytes;

    /// <summary>
    /// How many <c>&lt;struct&gt;</c>/<c>&lt;array&gt;</c> containers may nest inside each other (default 64).
    /// Koji replies nest a handful of levels; the limit keeps hostile nesting from exhausting the stack.
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = value is >= 1 and <= MaxAllowedDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, $"MaxDepth must be between 1 and {MaxAllowedDepth}.");
    }

    /// <summary>
    /// The largest document accepted, in bytes (default 256 MiB). A stream is read at most this far (plus one byte
    /// to notice that it goes on) before the reader gives up, so a hostile or broken peer cannot make us buffer more.
    /// </summary>
    public int MaxDocumentBytes
    {
        get => _maxDocumentBytes;
        init => _maxDocumentBytes = value is > 0 and < int.MaxValue - 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDocumentBytes), value, "MaxDocumentBytes must be positive.");
    }

    /// <summary>
    /// The largest single <c>&lt;string&gt;</c>, member name or <c>&lt;base64&gt;</c> value, in bytes as it appears in
    /// the document; null (the default) means only <see cref="MaxDocumentBytes"/> applies.
    /// </summary>
    public int? MaxStringBytes
    {
        get => _maxStringBytes;
        init => _maxStringBytes = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxStringBytes), value, "MaxStringBytes must be positive.");
    }
}
