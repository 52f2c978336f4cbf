namespace KojiComposer.Scheduler.Koji;

/// <summary>How the <c>osbuildImage</c> task handler works (the hub-bridge role).</summary>
public sealed record KojiIntakeSettings
{
    /// <summary>Koji's files URL (<c>hub.topurl</c>, kojid's <c>topurl</c>): the default repository of a task is
    /// <c>{topurl}/repos/{build tag}/{repo id}/$arch</c>. Null (not configured): such tasks fail with a message
    /// saying so; tasks naming their repositories still work.</summary>
    public Uri? TopUrl { get; init; }

    /// <summary>Our API's base URL as users reach it: the task result's <c>composer.server</c>.</summary>
    public required Uri PublicUrl { get; init; }

    /// <summary>How often a running task's compose is looked at; <c>compose-status.json</c> is uploaded again when
    /// it changed (the stock builder polls composer every 2 s).</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a task whose build tag has no READY repository waits for one (its repo.request asks kojira
    /// to make it, as kojid's waitrepo subtask does) before it fails with <c>No repo available</c>.</summary>
    public TimeSpan RepoWait { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How often a waiting task asks again for the build tag's repository.</summary>
    public TimeSpan RepoPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the parent asks the hub whether its <c>tagBuild</c> subtask finished.</summary>
    public TimeSpan TagPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait after a hub or store error inside a task (the task is never failed for those); doubles
    /// up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);
}
