using System.Net.Sockets;
using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KojiComposer.Scheduler.Retry;

/// <summary>What to do with a step whose run threw.</summary>
/// <param name="Retry">True: hand the step back and run it again after <paramref name="Delay"/>.</param>
/// <param name="Delay">Wait before the retry.</param>
/// <param name="Error">When not retried: the error the step ends with.</param>
internal sealed record RetryDecision(bool Retry, TimeSpan Delay, JobError? Error);

/// <summary>
/// The one place that decides whether a failed step run is retried (STYLE.md: retries are decided in one place).
/// The step jobs ask it to know whether to record a failure; <see cref="ComposeRetryFilter"/> asks it to schedule
/// the retry; both see the same exception and retry count, so they agree.
/// </summary>
internal sealed class StepRetryPolicy(EngineSettings settings)
{
    public RetryDecision Decide(StepKind kind, Exception exception, int retriesSoFar)
    {
        var transient = IsTransient(exception);
        if (transient && retriesSoFar < settings.TransientRetries)
        {
            return new RetryDecision(true, Backoff(retriesSoFar), null);
        }

        var error = ErrorFor(kind, exception);
        if (transient)
        {
            error = new JobError(error.Id, error.Reason, $"gave up after {retriesSoFar + 1} tries: {exception.Message}");
        }

        return new RetryDecision(false, TimeSpan.Zero, error);
    }

    /// <summary>Transient: our steps' own verdict, the hub bridge's, Npgsql's, SQLite busy/locked, network and
    /// timeouts. Everything else (bugs included) is permanent: retrying a bug only delays its report.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ComposeStepException step => step.IsTransient,
        KojiException koji => koji.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        HttpRequestException or SocketException or TimeoutException => true,
        _ => false,
    };

    private TimeSpan Backoff(int retriesSoFar)
    {
        // Doubling from the initial delay, capped, with +-20 % jitter so that retries of many composes after one
        // hub outage do not arrive together.
        var seconds = settings.RetryInitialDelay.TotalSeconds * Math.Pow(2, Math.Min(retriesSoFar, 30));
        seconds = Math.Min(seconds, settings.RetryMaxDelay.TotalSeconds);
        seconds *= 0.8 + (0.4 * Random.Shared.NextDouble());
        return TimeSpan.FromSeconds(seconds);
    }

    private static JobError ErrorFor(StepKind kind, Exception exception)
    {
        if (exception is ComposeStepException step)
        {
            return step.Error;
        }

        var code = exception is KojiException or HttpRequestException or SocketException
            ? kind switch
            {
                StepKind.Init => JobErrorCodes.KojiInit,
                StepKind.Finalize => JobErrorCodes.KojiFinalize,
                _ => JobErrorCodes.UploadingImage,
            }
            : JobErrorCodes.JobPanicked;
        var reason = code == JobErrorCodes.JobPanicked ? "the step crashed" : exception.Message;
        return new JobError(code, reason, $"{exception.GetType().Name}: {exception.Message}");
    }
}
