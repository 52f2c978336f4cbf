using KojiComposer.Builder.Targets;
using KojiComposer.Testing.Time;

namespace KojiComposer.Builder.Tests.Targets;

public sealed class TargetRetryTests
{
    [Fact]
    public async Task RunAsync_DoublesTheDelay_BetweenTries_UpToTwoMinutes()
    {
        var delays = new List<TimeSpan>();
        var time = new ManualTimeProvider();
        var retry = new TargetRetry(6, TimeSpan.FromSeconds(20), time) { OnRetry = (_, _, delay) => delays.Add(delay) };
        var calls = 0;

        var run = retry.RunAsync<int>(_ =>
        {
            calls++;
            throw TargetFailedException.Upload("slow down", isTransient: true);
        }, CancellationToken.None);
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromMinutes(2));
            await Task.Delay(1);
        }

        await Assert.ThrowsAsync<TargetFailedException>(() => run);
        Assert.Equal(6, calls);
        Assert.Equal([20, 40, 80, 120, 120], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task RunAsync_KeepsTheCode_OfTheLastFailure()
    {
        var retry = new TargetRetry(2, TimeSpan.Zero);

        var failure = await Assert.ThrowsAsync<TargetFailedException>(() =>
            retry.RunAsync(_ => Task.FromException(TargetFailedException.Import("import throttled", isTransient: true)), CancellationToken.None));

        Assert.Equal(12, failure.Code);
        Assert.False(failure.IsTransient);
        Assert.Equal("import throttled (tried 2 times)", failure.Message);
    }

    [Fact]
    public async Task RunAsync_TellsOnlyTheLastTry_ThatItIsTheLast()
    {
        var told = new List<bool>();
        var retry = new TargetRetry(3, TimeSpan.Zero);

        await Assert.ThrowsAsync<TargetFailedException>(() => retry.RunAsync<int>((last, _) =>
        {
            told.Add(last);
            throw TargetFailedException.Upload("slow down", isTransient: true);
        }, CancellationToken.None));

        Assert.Equal([false, false, true], told);
    }
}
