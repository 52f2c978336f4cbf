namespace KojiComposer.HubBridge.Transport;

/// <summary>
/// What sslLogin returned. The key is a secret: <see cref="ToString"/> never shows it, and nothing logs it.
/// </summary>
internal sealed record SessionCredentials(long Id, string Key, bool HeaderAuth)
{
    public override string ToString() => $"session {Id}";
}
