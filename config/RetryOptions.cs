using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[hub.retry]</c> section: how calls that are safe to repeat are retried after transport
/// failures (connection errors, HTTP 5xx/408/429) and <c>ServerOffline</c> faults (koji-wire.md §4.3).</summary>
public sealed record RetryOptions
{
    /// <summary>Default of <c>attempts</c> (composer's value).</summary>
    public const int DefaultAttempts = 5;

    /// <summary>Default of <c>initial_delay_seconds</c>.</summary>
    public const double DefaultInitialDelaySeconds = 1.0;

    /// <summary>Default of <c>max_delay_seconds</c>.</summary>
    public const double DefaultMaxDelaySeconds = 30.0;

    /// <summary>Default of <c>server_offline_wait_seconds</c>.</summary>
    public const double DefaultServerOfflineWaitSeconds = 60.0;

    private const double MaxSeconds = 3600;

    /// <summary><c>attempts</c>: tries per call including the first, 1 to 100; default 5.</summary>
    public int Attempts { get; init; } = DefaultAttempts;

    /// <summary><c>initial_delay_seconds</c>: wait before the first retry; later waits grow up to <see cref="MaxDelay"/>;
    /// default 1 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(DefaultInitialDelaySeconds);

    /// <summary><c>max_delay_seconds</c>: longest wait between retries, at least <see cref="InitialDelay"/>;
    /// default 30 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(DefaultMaxDelaySeconds);

    /// <summary><c>server_offline_wait_seconds</c>: wait after fault 1014 <c>ServerOffline</c> before trying again;
    /// default 60 s.</summary>
    public TimeSpan ServerOfflineWait { get; init; } = TimeSpan.FromSeconds(DefaultServerOfflineWaitSeconds);

    internal static RetryOptions Bind(ConfigSection section)
    {
        var options = new RetryOptions
        {
            Attempts = section.Integer("attempts", DefaultAttempts, 1, 100),
            InitialDelay = section.Seconds("initial_delay_seconds", TimeSpan.FromSeconds(DefaultInitialDelaySeconds), 0, MaxSeconds),
            MaxDelay = section.Seconds("max_delay_seconds", TimeSpan.FromSeconds(DefaultMaxDelaySeconds), 0, MaxSeconds),
            ServerOfflineWait = section.Seconds("server_offline_wait_seconds", TimeSpan.FromSeconds(DefaultServerOfflineWaitSeconds), 0, MaxSeconds),
        };
        if (options.MaxDelay < options.InitialDelay && section.Has("max_delay_seconds"))
        {
            section.Error(
                "max_delay_seconds",
                $"must be at least {section.KeyPath("initial_delay_seconds")} ({ConfigText.Number(options.InitialDelay.TotalSeconds)}), "
                + $"got {ConfigText.Number(options.MaxDelay.TotalSeconds)}");
        }

        return options;
    }
}
