namespace KojiComposer.HubBridge.Calls;

/// <summary>A CG reservation (CGInitBuild). The token is a secret: never shown by <see cref="ToString"/>.</summary>
public sealed record KojiReservation(long BuildId, string Token)
{
    public override string ToString() => $"reservation of build {BuildId}";
}
