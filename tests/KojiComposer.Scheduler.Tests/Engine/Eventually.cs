namespace KojiComposer.Scheduler.Tests.Engine;

/// <summary>
/// Waits for something the engine does in the background. The limit only stops a hung test; it is not an
/// assertion on speed, so it is generous.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}; last seen: {value}");
            }

            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what) =>
        ValueAsync(() => Task.FromResult(condition()), ok => ok, what);
}
