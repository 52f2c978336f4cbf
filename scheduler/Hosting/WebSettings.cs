namespace KojiComposer.Scheduler.Hosting;

/// <summary>The scheduler's web front (API, dashboard, compose pages, metrics, health). Bound from the
/// <c>[web]</c> section by the service.</summary>
public sealed record WebSettings
{
    /// <summary>Address and port to listen on, e.g. <c>http://127.0.0.1:8700</c>.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8700"];

    /// <summary>The URL users reach the service at (for links and the Koji task result's <c>composer.server</c>);
    /// null means the first of <see cref="Urls"/>.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Koji web UI base, for task and build links on the pages; null for no links.</summary>
    public Uri? KojiWebUrl { get; init; }
}
