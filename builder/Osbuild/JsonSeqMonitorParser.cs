using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Osbuild;

/// <summary>
/// Reads osbuild's stderr: JSONSeqMonitor records (RFC 7464: 0x1E, one JSON text, LF) mixed with stray text such as
/// the Python traceback of a host-side crash (osbuild-run.md §2–§3). Fed with bytes in any chunking; calls
/// <c>onRecord</c> for each record with its context resolved, and keeps the stray text (bounded) as the
/// infrastructure log.
/// </summary>
internal sealed class JsonSeqMonitorParser(Action<MonitorRecord> onRecord, int strayTextLimit = JsonSeqMonitorParser.DefaultStrayTextLimit)
{
    /// <summary>How much stray text is kept: the end of a traceback is what tells.</summary>
    public const int DefaultStrayTextLimit = 64 * 1024;

    private const byte RecordSeparator = 0x1E;

    // A record is one line of JSON; stage metadata (the RPM list) makes the largest, about a megabyte. Anything
    // longer without a separator is stray text and is flushed so memory stays bounded.
    private const int MaxSegmentBytes = 16 * 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _segment = new(4096);
    private readonly Dictionary<string, JsonObject> _contexts = new(StringComparer.Ordinal);
    private readonly TextTail _stray = new(strayTextLimit);
    private bool _segmentIsRecord;

    /// <summary>How many records were parsed.</summary>
    public int RecordCount { get; private set; }

    /// <summary>The text that was not a record (the end of it, when long).</summary>
    public string StrayText => _stray.ToString();

    /// <summary>Consumes the next bytes of the stream.</summary>
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var separator = chunk.IndexOf(RecordSeparator);
            if (separator < 0)
            {
                Append(chunk);
                return;
            }

            Append(chunk[..separator]);
            FlushSegment();
            _segmentIsRecord = true;
            chunk = chunk[(separator + 1)..];
        }
    }

    /// <summary>The stream ended: parses what is left.</summary>
    public void Complete()
    {
        FlushSegment();
        _segmentIsRecord = false;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_segment.WrittenCount + bytes.Length > MaxSegmentBytes)
        {
            _segmentIsRecord = false;
            FlushSegment();
        }

        _segment.Write(bytes);
    }

    private void FlushSegment()
    {
        var bytes = _segment.WrittenSpan;
        if (bytes.IsEmpty)
        {
            return;
        }

        var consumed = _segmentIsRecord ? TryRecord(bytes) : 0;
        var rest = bytes[consumed..];
        if (consumed > 0 && rest.Length > 0 && rest[0] == (byte)'\n')
        {
            rest = rest[1..];
        }

        if (!rest.IsEmpty)
        {
            _stray.Append(Encoding.UTF8.GetString(rest));
        }

        _segment.ResetWrittenCount();
    }

    /// <summary>Parses the JSON object at the start of <paramref name="bytes"/>; returns the bytes it took, 0 when
    /// it is not one (then the whole segment is stray text).</summary>
    private int TryRecord(ReadOnlySpan<byte> bytes)
    {
        int length;
        JsonObject? json;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return 0;
            }

            reader.Skip();
            length = (int)reader.BytesConsumed;
            json = JsonNode.Parse(bytes[..length], documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject;
            if (json is null)
            {
                return 0;
            }

            // Materialises the properties now, so that a record JsonObject rejects (a repeated key) is stray text
            // here instead of an exception in the handler.
            _ = json.Count;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return 0;
        }

        RecordCount++;
        try
        {
            onRecord(new MonitorRecord(
                json["message"].Text(),
                ResolveContext(json["context"] as JsonObject),
                MonitorProgress.From(json["progress"]),
                json["result"] as JsonObject,
                json));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // A record of a shape nobody expected must not stop the reading of stderr: osbuild blocks on a full pipe,
            // so a parser that gave up would hang the build. The record is skipped; the run's result still tells.
            SkippedRecords++;
        }

        return length;
    }

    /// <summary>How many records were parsed but could not be handled (an unexpected shape).</summary>
    public int SkippedRecords { get; private set; }

    // Context-by-id rule (osbuild-run.md §3): in full the first time, later only {"id": ...}.
    private JsonObject? ResolveContext(JsonObject? context)
    {
        if (context is null)
        {
            return null;
        }

        var id = context["id"].Text();
        if (context.Count > 1 || id is null)
        {
            if (id is not null)
            {
                _contexts[id] = context;
            }

            return context;
        }

        return _contexts.GetValueOrDefault(id);
    }
}
