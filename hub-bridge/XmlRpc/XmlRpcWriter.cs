using System.Buffers;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Encodes XML-RPC documents byte-identical to Python's <c>xmlrpc.client.dumps</c> as koji uses it (koji
/// <c>koji/xmlrpcplus.py</c>; golden data in spec/observed/koji-hub-transcripts.txt). Values are plain CLR objects:
/// null, bool, integers (<c>&lt;int&gt;</c> inside int32, else <c>&lt;i8&gt;</c>), float/double/decimal, string/char,
/// byte[]/ReadOnlyMemory&lt;byte&gt; (base64), DateTime, enums (their number), any string-keyed dictionary (struct),
/// any other <see cref="System.Collections.IEnumerable"/> (array), and <see cref="KojiKeywordArguments"/> as the last
/// parameter of a call.
/// </summary>
/// <remarks>
/// Every method throws <see cref="ArgumentException"/> for a value it cannot marshal, naming the type and where it
/// sits (<c>params[2].opts.foo</c>). The <see cref="Stream"/> overloads build the document in pooled memory first,
/// so on error nothing has been written to the stream; an <see cref="IBufferWriter{T}"/> may hold a partial document.
/// </remarks>
public static class XmlRpcWriter
{
    /// <summary>Writes a <c>methodCall</c>.</summary>
    public static void WriteMethodCall(IBufferWriter<byte> output, string methodName, IReadOnlyList<object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(output);
        var encoder = new XmlRpcEncoder(output);
        encoder.WriteMethodCall(methodName, parameters);
        encoder.Flush();
    }

    /// <summary>Writes a <c>methodCall</c>.</summary>
    public static void WriteMethodCall(IBufferWriter<byte> output, XmlRpcMethodCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        WriteMethodCall(output, call.MethodName, call.Params);
    }

    /// <summary>Writes a <c>methodCall</c> to <paramref name="output"/> in one piece.</summary>
    public static void WriteMethodCall(Stream output, string methodName, IReadOnlyList<object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new PooledBufferWriter();
        WriteMethodCall(buffer, methodName, parameters);
        output.Write(buffer.WrittenSpan);
    }

    /// <summary>Writes a <c>methodCall</c> to <paramref name="output"/> in one piece.</summary>
    public static async ValueTask WriteMethodCallAsync(
        Stream output, string methodName, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new PooledBufferWriter();
        WriteMethodCall(buffer, methodName, parameters);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole <c>methodCall</c> document as UTF-8 bytes.</summary>
    public static byte[] MethodCallBytes(string methodName, IReadOnlyList<object?> parameters)
    {
        using var buffer = new PooledBufferWriter();
        WriteMethodCall(buffer, methodName, parameters);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a successful <c>methodResponse</c> carrying <paramref name="value"/>.</summary>
    public static void WriteMethodResponse(IBufferWriter<byte> output, object? value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var encoder = new XmlRpcEncoder(output);
        encoder.WriteMethodResponse(value);
        encoder.Flush();
    }

    /// <summary>Writes a successful <c>methodResponse</c> to <paramref name="output"/> in one piece.</summary>
    public static void WriteMethodResponse(Stream output, object? value)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new PooledBufferWriter();
        WriteMethodResponse(buffer, value);
        output.Write(buffer.WrittenSpan);
    }

    /// <summary>Writes a successful <c>methodResponse</c> to <paramref name="output"/> in one piece.</summary>
    public static async ValueTask WriteMethodResponseAsync(
        Stream output, object? value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new PooledBufferWriter();
        WriteMethodResponse(buffer, value);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a fault <c>methodResponse</c> (koji-wire.md §2.3).</summary>
    public static void WriteFault(IBufferWriter<byte> output, int code, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        var encoder = new XmlRpcEncoder(output);
        encoder.WriteFault(code, message);
        encoder.Flush();
    }

    /// <summary>Writes a fault <c>methodResponse</c> to <paramref name="output"/> in one piece.</summary>
    public static void WriteFault(Stream output, int code, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new PooledBufferWriter();
        WriteFault(buffer, code, message);
        output.Write(buffer.WrittenSpan);
    }

    /// <summary>Writes a fault <c>methodResponse</c> to <paramref name="output"/> in one piece.</summary>
    public static async ValueTask WriteFaultAsync(
        Stream output, int code, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new PooledBufferWriter();
        WriteFault(buffer, code, message);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A complete <c>methodResponse</c> document as a string: the task result <c>host.closeTask</c> sends as an
    /// XML-RPC string value, exactly what kojid's <c>dumps((result,), methodresponse=1, allow_none=1)</c> gives
    /// (koji-wire.md §9.5). It starts with <c>&lt;?xml</c>, which the hub requires.
    /// </summary>
    public static string MethodResponseDocument(object? value)
    {
        using var buffer = new PooledBufferWriter();
        WriteMethodResponse(buffer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A complete fault document as a string, the failure result <c>host.failTask</c> sends (§9.5).</summary>
    public static string FaultDocument(int code, string message)
    {
        using var buffer = new PooledBufferWriter();
        WriteFault(buffer, code, message);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
