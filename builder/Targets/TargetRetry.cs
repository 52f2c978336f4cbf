namespace KojiComposer.Builder.Targets;

/// <summary>
/// Runs one step of a target again after a transient failure (<see cref="TargetFailedException.IsTransient"/>), with
/// exponential backoff: delay, 2×delay, … capped at 2 minutes, at most <see cref="MaxAttempts"/> tries in all. Steps
/// must be safe to repeat (an upload resumes or starts over, a lookup is read-only); a step that is not says so by
/// throwing a non-transient failure.
/// </summary>
public sealed class TargetRetry(int maxAttempts, TimeSpan firstDelay, TimeProvider? time = null)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(2);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Tries in all, at least 1.</summary>
    public int MaxAttempts { get; } = Math.Max(1, maxAttempts);

    /// <summary>Called before each retry with the attempt that failed (1-based), the failure and the delay.</summary>
    public Action<int, TargetFailedException, TimeSpan>? OnRetry { get; init; }

    /// <summary>Runs <paramref name="step"/> until it succeeds, fails for good, or the attempts are used up (then the
    /// last failure is thrown, its reason saying how many tries were made).</summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return RunAsync((_, ct) => step(ct), cancellationToken);
    }

    /// <summary>Like <see cref="RunAsync{T}(Func{CancellationToken, Task{T}}, CancellationToken)"/>; the step is told
    /// whether this is the last try (true): a transient failure then ends the upload, so the step cleans up what it
    /// would have kept for a retry (stored multipart parts, a staging object, a running import).</summary>
    public async Task<T> RunAsync<T>(Func<bool, CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var delay = firstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step(attempt >= MaxAttempts, cancellationToken).ConfigureAwait(false);
            }
            catch (TargetFailedException e) when (e.IsTransient && attempt < MaxAttempts)
            {
                OnRetry?.Invoke(attempt, e, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
            catch (TargetFailedException e) when (e.IsTransient && MaxAttempts > 1)
            {
                throw new TargetFailedException(e.Code, $"{e.Message} (tried {MaxAttempts} times)", isTransient: false, e);
            }
        }
    }

    /// <summary><see cref="RunAsync{T}(Func{CancellationToken, Task{T}}, CancellationToken)"/> for a step without a result.</summary>
    public Task RunAsync(Func<CancellationToken, Task> step, CancellationToken cancellationToken) =>
        RunAsync(async ct =>
        {
            await step(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
