namespace KojiComposer.Scheduler.Web.Health;

/// <summary>How one check came out; the worst of all checks is the overall status.</summary>
public enum HealthStatus
{
    /// <summary>Working.</summary>
    Ok,

    /// <summary>Working with a problem someone should look at (e.g. one builder of several is gone).</summary>
    Degraded,

    /// <summary>Not working: <c>/health</c> answers 503.</summary>
    Failing,
}

/// <summary>One check's result.</summary>
/// <param name="Status">How it came out.</param>
/// <param name="Details">One line for people (never a secret), or null.</param>
public sealed record HealthCheckResult(HealthStatus Status, string? Details = null);

/// <summary>
/// A check that <c>/health</c> runs, registered as a service (<c>services.AddSingleton&lt;IHealthContributor,
/// ...&gt;()</c>). <see cref="Check"/> names the entry in <c>checks</c>: <c>hub</c> (Koji hub login) and
/// <c>builders</c> (osbuild on the builder roles) are the known ones; several contributors with one name are
/// combined (worst wins).
/// </summary>
public interface IHealthContributor
{
    /// <summary>The entry in <c>checks</c>, e.g. <c>hub</c> or <c>builders</c>.</summary>
    string Check { get; }

    /// <summary>Runs the check; must finish promptly (the caller's token carries a timeout).</summary>
    Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken);
}
