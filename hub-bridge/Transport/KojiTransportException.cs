namespace KojiComposer.HubBridge.Transport;

/// <summary>
/// The hub could not be reached or answered at the HTTP level with an error worth retrying (connection refused or
/// dropped, timeout, 5xx, 408, 429). Thrown once the retry policy has given up.
/// </summary>
public sealed class KojiTransportException : KojiException
{
    public KojiTransportException(string message, int? httpStatus = null, Exception? innerException = null)
        : base(message, innerException)
    {
        HttpStatus = httpStatus;
    }

    /// <summary>The HTTP status, when the hub answered at all.</summary>
    public int? HttpStatus { get; }

    public override bool IsTransient => true;
}

/// <summary>
/// The hub answered, but not with something a Koji hub says: HTML, a 4xx, an unparsable body. Not retried: a wrong
/// URL or a proxy in the way does not fix itself.
/// </summary>
public sealed class KojiProtocolException : KojiException
{
    public KojiProtocolException(string message, int? httpStatus = null, Exception? innerException = null)
        : base(message, innerException)
    {
        HttpStatus = httpStatus;
    }

    /// <summary>The HTTP status of the reply.</summary>
    public int? HttpStatus { get; }

    public override bool IsTransient => false;
}
