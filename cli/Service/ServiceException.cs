namespace KojiComposer.Cli.Service;

/// <summary>The KojiComposer service could not be reached, or answered with an error.</summary>
public sealed class ServiceException : Exception
{
    public ServiceException(string message, bool unreachable, int? status = null, int? errorId = null, Exception? inner = null)
        : base(message, inner)
    {
        Unreachable = unreachable;
        Status = status;
        ErrorId = errorId;
    }

    /// <summary>True when no answer came (connection refused, DNS, TLS, timeout).</summary>
    public bool Unreachable { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public int? Status { get; }

    /// <summary>The API's error id (composer's numbering: 15 unknown compose, 2001 already finished, …).</summary>
    public int? ErrorId { get; }

    /// <summary>True for an unknown compose (error 15) or a 404.</summary>
    public bool NotFound => ErrorId == ComposeNotFound || (ErrorId is null && Status == 404);

    /// <summary>composer's "compose not found" error id.</summary>
    public const int ComposeNotFound = 15;
}
