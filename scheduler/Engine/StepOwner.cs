namespace KojiComposer.Scheduler.Engine;

/// <summary>
/// Names one run of one step, for its lease: <c>&lt;server&gt;:&lt;pid&gt;:&lt;random&gt;</c>. Every run gets its
/// own name, so a second delivery of the same job in the same process cannot mistake the first run's lease for its
/// own.
/// </summary>
internal static class StepOwner
{
    public static string New(string serverName) =>
        $"{serverName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}
