namespace KojiComposer.Config.Tests;

public sealed class SchedulerSectionTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_AppliesEngineDefaults_WhenSchedulerSectionIsAbsent()
    {
        var scheduler = ConfigAssert.Parses(ConfigAssert.HubSection).Scheduler;

        Assert.Equal(new SchedulerOptions(), scheduler);
        Assert.Equal(TimeSpan.FromSeconds(120), scheduler.Lease);
        Assert.Equal(TimeSpan.FromMilliseconds(200), scheduler.QueuePollInterval);
    }

    [Fact]
    public void Parse_ReadsEveryKey_WhenAllAreGiven()
    {
        var scheduler = ConfigAssert.Parses("""
            [scheduler]
            lease_seconds = 60
            lease_renew_seconds = 5
            max_lost_workers = 3
            transient_retries = 7
            retry_initial_delay_seconds = 2.5
            retry_max_delay_seconds = 120
            reconcile_interval_seconds = 30
            queue_poll_interval_ms = 500
            invisibility_timeout_seconds = 600
            workers = 8
            """ + ConfigAssert.HubSection).Scheduler;

        Assert.Equal(
            new SchedulerOptions
            {
                Lease = TimeSpan.FromSeconds(60),
                LeaseRenew = TimeSpan.FromSeconds(5),
                MaxLostWorkers = 3,
                TransientRetries = 7,
                RetryInitialDelay = TimeSpan.FromSeconds(2.5),
                RetryMaxDelay = TimeSpan.FromSeconds(120),
                ReconcileInterval = TimeSpan.FromSeconds(30),
                QueuePollInterval = TimeSpan.FromMilliseconds(500),
                InvisibilityTimeout = TimeSpan.FromSeconds(600),
                Workers = 8,
            },
            scheduler);
    }

    [Theory]
    [InlineData("lease_renew_seconds = 120", 2, "lease_renew_seconds", "120", "120")]
    [InlineData("lease_renew_seconds = 200", 2, "lease_renew_seconds", "200", "120")]
    [InlineData("lease_seconds = 10\nlease_renew_seconds = 10", 3, "lease_renew_seconds", "10", "10")]
    public void Parse_RefusesLeaseRenewal_WhenNotShorterThanTheLease(string keys, int line, string reported, string renew, string lease)
    {
        var error = ConfigAssert.FailsOnce($"[scheduler]\n{keys}\n" + ConfigAssert.HubSection);

        Assert.Equal(
            $"{F}:{line}: scheduler.{reported}: scheduler.lease_renew_seconds ({renew}) must be less than scheduler.lease_seconds ({lease}), or every lease expires between renewals",
            error);
    }

    [Theory]
    [InlineData("lease_seconds = 5", "scheduler.lease_seconds: must be between 10 and 3600 seconds, got 5")]
    [InlineData("max_lost_workers = -1", "scheduler.max_lost_workers: must be between 0 and 100, got -1")]
    [InlineData("transient_retries = 101", "scheduler.transient_retries: must be between 0 and 100, got 101")]
    [InlineData("reconcile_interval_seconds = 0", "scheduler.reconcile_interval_seconds: must be between 1 and 3600 seconds, got 0")]
    [InlineData("queue_poll_interval_ms = 5", "scheduler.queue_poll_interval_ms: must be between 10 and 60000, got 5")]
    [InlineData("invisibility_timeout_seconds = 10", "scheduler.invisibility_timeout_seconds: must be between 30 and 86400 seconds, got 10")]
    [InlineData("workers = 0", "scheduler.workers: must be between 1 and 64, got 0")]
    [InlineData("workers = \"4\"", "scheduler.workers: expected an integer, got a string")]
    public void Parse_NamesKeyAndRange_WhenValueIsOutOfRange(string key, string problem)
    {
        var line = ConfigAssert.FailsOnce($"[scheduler]\n{key}\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: {problem}", line);
    }

    [Fact]
    public void Parse_RefusesRetryMaxDelay_WhenBelowInitialDelay()
    {
        var line = ConfigAssert.FailsOnce("[scheduler]\nretry_initial_delay_seconds = 60\nretry_max_delay_seconds = 30\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:3: scheduler.retry_max_delay_seconds: must be at least scheduler.retry_initial_delay_seconds (60), got 30", line);
    }
}
