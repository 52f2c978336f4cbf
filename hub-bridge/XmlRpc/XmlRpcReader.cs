using System.Buffers;
using System.Text;
using KojiComposer.HubBridge.Faults;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Decodes XML-RPC documents from a Koji hub (or, for the hub simulator, from a client) into plain CLR values:
/// <c>&lt;int&gt;</c>/<c>&lt;i4&gt;</c> → int, <c>&lt;i8&gt;</c> → long, boolean → bool, string and untyped text → string,
/// double → double, <c>dateTime.iso8601</c> → DateTime, base64 → byte[], <c>&lt;nil/&gt;</c> (any prefix) → null,
/// struct → <see cref="XmlRpcStruct"/>, array → <c>object?[]</c> (koji-wire.md §2.1).
/// </summary>
/// <remarks>
/// Documents are untrusted: DTDs are refused, only the predefined entities and character references are expanded,
/// nothing is resolved externally, and <see cref="XmlRpcReaderOptions"/> bounds size, nesting and string length.
/// Every violation throws <see cref="XmlRpcFormatException"/> saying what and where. Streams are read into memory
/// (at most <see cref="XmlRpcReaderOptions.MaxDocumentBytes"/> + 1 bytes) and then parsed.
/// </remarks>
public static class XmlRpcReader
{
    /// <summary>Decodes a <c>methodCall</c>.</summary>
    /// <exception cref="XmlRpcFormatException">The document is not a valid methodCall or breaks a limit.</exception>
    public static XmlRpcMethodCall ReadMethodCall(ReadOnlySpan<byte> document, XmlRpcReaderOptions? options = null) =>
        XmlRpcParser.ParseMethodCall(document, options ?? XmlRpcReaderOptions.Default);

    /// <inheritdoc cref="ReadMethodCall(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static XmlRpcMethodCall ReadMethodCall(string document, XmlRpcReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var utf8 = Utf8Of(document, options ?? XmlRpcReaderOptions.Default, isRequest: true);
        return ReadMethodCall(utf8.WrittenSpan, options);
    }

    /// <inheritdoc cref="ReadMethodCall(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static XmlRpcMethodCall ReadMethodCall(Stream document, XmlRpcReaderOptions? options = null)
    {
        options ??= XmlRpcReaderOptions.Default;
        using var buffer = RentedDocument.Read(document, options.MaxDocumentBytes, isRequest: true);
        return XmlRpcParser.ParseMethodCall(buffer.Span, options);
    }

    /// <inheritdoc cref="ReadMethodCall(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static async ValueTask<XmlRpcMethodCall> ReadMethodCallAsync(
        Stream document, XmlRpcReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= XmlRpcReaderOptions.Default;
        using var buffer = await RentedDocument.ReadAsync(document, options.MaxDocumentBytes, isRequest: true, cancellationToken)
            .ConfigureAwait(false);
        return XmlRpcParser.ParseMethodCall(buffer.Span, options);
    }

    /// <summary>Decodes a <c>methodResponse</c>, returning a fault as data rather than throwing it.</summary>
    /// <exception cref="XmlRpcFormatException">The document is not a valid methodResponse or breaks a limit.</exception>
    public static XmlRpcResponse ReadResponse(ReadOnlySpan<byte> document, XmlRpcReaderOptions? options = null) =>
        XmlRpcParser.ParseResponse(document, options ?? XmlRpcReaderOptions.Default);

    /// <inheritdoc cref="ReadResponse(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static XmlRpcResponse ReadResponse(string document, XmlRpcReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var utf8 = Utf8Of(document, options ?? XmlRpcReaderOptions.Default, isRequest: false);
        return ReadResponse(utf8.WrittenSpan, options);
    }

    /// <inheritdoc cref="ReadResponse(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static XmlRpcResponse ReadResponse(Stream document, XmlRpcReaderOptions? options = null)
    {
        options ??= XmlRpcReaderOptions.Default;
        using var buffer = RentedDocument.Read(document, options.MaxDocumentBytes, isRequest: false);
        return XmlRpcParser.ParseResponse(buffer.Span, options);
    }

    /// <inheritdoc cref="ReadResponse(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static async ValueTask<XmlRpcResponse> ReadResponseAsync(
        Stream document, XmlRpcReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= XmlRpcReaderOptions.Default;
        using var buffer = await RentedDocument.ReadAsync(document, options.MaxDocumentBytes, isRequest: false, cancellationToken)
            .ConfigureAwait(false);
        return XmlRpcParser.ParseResponse(buffer.Span, options);
    }

    /// <summary>Decodes a <c>methodResponse</c> and returns its value.</summary>
    /// <exception cref="KojiFaultException">The hub answered with a fault (the subclass for its code).</exception>
    /// <exception cref="XmlRpcFormatException">The document is not a valid methodResponse or breaks a limit.</exception>
    public static object? ReadMethodResponse(ReadOnlySpan<byte> document, XmlRpcReaderOptions? options = null) =>
        ValueOrThrow(ReadResponse(document, options));

    /// <inheritdoc cref="ReadMethodResponse(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static object? ReadMethodResponse(string document, XmlRpcReaderOptions? options = null) =>
        ValueOrThrow(ReadResponse(document, options));

    /// <inheritdoc cref="ReadMethodResponse(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static object? ReadMethodResponse(Stream document, XmlRpcReaderOptions? options = null) =>
        ValueOrThrow(ReadResponse(document, options));

    /// <inheritdoc cref="ReadMethodResponse(ReadOnlySpan{byte}, XmlRpcReaderOptions?)"/>
    public static async ValueTask<object?> ReadMethodResponseAsync(
        Stream document, XmlRpcReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        ValueOrThrow(await ReadResponseAsync(document, options, cancellationToken).ConfigureAwait(false));

    private static object? ValueOrThrow(XmlRpcResponse response) =>
        response.Fault is { } fault ? throw KojiFaults.Create(fault.Code, fault.Message) : response.Value;

    private static PooledBufferWriter Utf8Of(string document, XmlRpcReaderOptions options, bool isRequest)
    {
        // A UTF-16 string of n chars is at least n UTF-8 bytes: refuse before transcoding something huge.
        if (document.Length > options.MaxDocumentBytes)
        {
            throw XmlRpcParser.TooLarge(isRequest, options.MaxDocumentBytes);
        }

        var buffer = new PooledBufferWriter(Encoding.UTF8.GetMaxByteCount(Math.Min(document.Length, 1 << 20)));
        try
        {
            // Lone surrogates become U+FFFD: a .NET string cannot hold anything the parser could not then judge.
            int count = Encoding.UTF8.GetByteCount(document);
            Encoding.UTF8.GetBytes(document, buffer.GetSpan(count));
            buffer.Advance(count);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
