namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// Something that can make hub calls: an anonymous <see cref="KojiHubConnection"/> or a logged-in
/// <see cref="KojiSession"/>. The typed read calls (KojiCaller.Reads.cs) work on both.
/// </summary>
public abstract partial class KojiCaller
{
    /// <summary>True for a logged-in session; anonymous connections cannot make calls that need a login.</summary>
    protected virtual bool HasSession => false;

    /// <summary>The hub's XML-RPC URL, for messages.</summary>
    public abstract Uri HubUrl { get; }

    /// <summary>Makes one call, with the retry policy applied, and returns the decoded result.</summary>
    public abstract Task<object?> CallAsync(KojiCall call, CancellationToken cancellationToken = default);

    /// <summary>Shorthand for a read call.</summary>
    public Task<object?> ReadAsync(string method, CancellationToken cancellationToken, params object?[] args) =>
        CallAsync(KojiCall.Read(method, args), cancellationToken);
}
