using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Scheduler.Web.Health;

namespace KojiComposer.Service.Health;

/// <summary>
/// The <c>hub</c> check of <c>/health</c>: can this service log in to its Koji hub? It logs in as the
/// content-generator user (never the host principal, whose exclusive session would lock the host loop out), asks who
/// it is, and logs out. The answer is kept for <see cref="CacheFor"/> so that a load balancer polling every few
/// seconds does not open a hub session each time.
/// </summary>
internal sealed class HubLoginHealth(KojiHubOptions hub, KerberosIdentity identity, TimeProvider time) : IHealthContributor, IDisposable
{
    /// <summary>How long one answer is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public string Check => "hub";

    public void Dispose() => _gate.Dispose();

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < CacheFor)
            {
                return last.Result;
            }

            var result = await LoginAsync(cancellationToken).ConfigureAwait(false);
            _last = (time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> LoginAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await KojiSession.LoginAsync(hub, identity, cancellationToken: cancellationToken).ConfigureAwait(false);
            var user = await session.GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false);
            return new HealthCheckResult(HealthStatus.Ok, $"logged in to {hub.Url} as {user?.Name ?? "?"} ({identity.Principal ?? "ambient credential cache"})");
        }
        catch (KojiException e)
        {
            // KojiException messages name hub, call and cause, never a session key.
            return new HealthCheckResult(HealthStatus.Failing, $"cannot log in to {hub.Url} as {identity.Principal ?? "the ambient credential cache's principal"}: {e.Message}");
        }
    }
}
