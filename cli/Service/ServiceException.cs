namespace KojiComposer.Cli.Service;

/// <summary>The KojiComposer service could not be reached, or answered with an error. The message is one line
/// naming the service, the request and what went wrong; the parts are kept for commands that say it better.</summary>
public sealed class ServiceException : Exception
{
    /// <summary>composer's "compose not found" error id.</summary>
    public const int ComposeNotFound = 15;

    /// <summary>Our "compose has already finished" error id (cancel).</summary>
    public const int ComposeAlreadyFinished = 2001;

    /// <summary>Our "nothing to retry" error id (retry-failed).</summary>
    public const int NothingToRetry = 2002;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line, naming the service and the request.</param>
    /// <param name="unreachable">True when no answer came.</param>
    /// <param name="status">The HTTP status of the answer, if one came.</param>
    /// <param name="errorId">The API's error id, if the answer was the API's Error object.</param>
    /// <param name="inner">The cause.</param>
    public ServiceException(string message, bool unreachable, int? status = null, int? errorId = null, Exception? inner = null)
        : base(message, inner)
    {
        Unreachable = unreachable;
        Status = status;
        ErrorId = errorId;
    }

    /// <summary>True when no answer came (connection refused, DNS, TLS, timeout, the connection dropped).</summary>
    public bool Unreachable { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public int? Status { get; }

    /// <summary>The API's error id (composer's numbering: 15 unknown compose, 2001 already finished, …).</summary>
    public int? ErrorId { get; }

    /// <summary>The API's <c>reason</c> (its catalogue's fixed text), when the answer was an Error object.</summary>
    public string? Reason { get; init; }

    /// <summary>The API's <c>details</c> when it is text (why this request in particular was refused).</summary>
    public string? Details { get; init; }

    /// <summary>The API's reason and details as one phrase (<c>reason: details</c>), or the message.</summary>
    public string Explanation => Reason is null ? Message : Details is { Length: > 0 } details ? $"{Reason}: {details}" : Reason;

    /// <summary>True for an unknown compose: the API's error 15. A 404 that is not the API's Error object is no
    /// answer about composes at all (the URL is not the service's), so it is not this.</summary>
    public bool NotFound => ErrorId == ComposeNotFound;

    /// <summary>True when the service refused our login (HTTP 401).</summary>
    public bool Unauthenticated => Status == 401;
}
