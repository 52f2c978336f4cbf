namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// A document that is not well-formed XML-RPC, or that breaks one of the <see cref="XmlRpcReaderOptions"/> limits.
/// The message says what was wrong and where, e.g. <c>XML-RPC reply is not valid: unexpected element &lt;html&gt; at
/// line 1, position 2 (expected &lt;methodResponse&gt;)</c>. Never transient: the same bytes fail the same way.
/// </summary>
public sealed class XmlRpcFormatException : KojiException
{
    internal XmlRpcFormatException(string message, long byteOffset, int lineNumber, int linePosition)
        : base(message)
    {
        ByteOffset = byteOffset;
        LineNumber = lineNumber;
        LinePosition = linePosition;
    }

    /// <summary>Offset of the problem from the start of the document, in bytes; -1 when it has no position.</summary>
    public long ByteOffset { get; }

    /// <summary>1-based line of the problem; 0 when it has no position (e.g. the document is too large).</summary>
    public int LineNumber { get; }

    /// <summary>1-based character position of the problem within its line; 0 when it has no position.</summary>
    public int LinePosition { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
