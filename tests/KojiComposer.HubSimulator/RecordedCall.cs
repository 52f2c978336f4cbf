namespace KojiComposer.HubSimulator;

/// <summary>One request the simulated hub received, for tests that assert exact conversations.</summary>
public sealed record RecordedCall
{
    public required string Method { get; init; }

    /// <summary>The decoded params as sent (keyword struct included, marker and all).</summary>
    public required object?[] Params { get; init; }

    /// <summary>The request body bytes (empty for uploads, whose bytes go to disk).</summary>
    public required byte[] Body { get; init; }

    public long? SessionId { get; init; }

    public long? CallNumber { get; init; }

    /// <summary>Where the session came from: <c>header</c>, <c>query</c>, or null (anonymous).</summary>
    public string? SessionVia { get; init; }

    /// <summary>The HTTP request's query string (uploads carry their parameters there).</summary>
    public string Query { get; init; } = string.Empty;

    public int? FaultCode { get; init; }

    public string? FaultString { get; init; }

    public object? Result { get; init; }

    public DateTimeOffset At { get; init; }
}
