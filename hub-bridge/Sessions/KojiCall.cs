using KojiComposer.HubBridge.Transport;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// One call as the retry machinery sees it. <see cref="IfAlreadyCommitted"/> is how a committing write says what
/// "it already happened" means for it: read back the state the write produces and return the result to use
/// (koji-wire.md §5), or throw when it did not happen after all.
/// </summary>
public sealed record KojiCall(string Method, IReadOnlyList<object?> Args, KojiCallKind Kind)
{
    public Func<CancellationToken, Task<object?>>? IfAlreadyCommitted { get; init; }

    /// <summary>A per-request time limit for this call instead of <c>KojiHubOptions.RequestTimeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    public static KojiCall Read(string method, params object?[] args) => new(method, args, KojiCallKind.Read);

    public static KojiCall Write(string method, params object?[] args) => new(method, args, KojiCallKind.Write);

    public static KojiCall RepeatableWrite(string method, params object?[] args) => new(method, args, KojiCallKind.RepeatableWrite);
}
