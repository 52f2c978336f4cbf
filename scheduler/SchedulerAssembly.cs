namespace KojiComposer.Scheduler;

/// <summary>
/// The compose engine (Hangfire on PostgreSQL or an embedded store) lands with the "Scheduler" issue.
/// This project exists now so that the solution's layout and reference rules are fixed from the start.
/// </summary>
public static class SchedulerAssembly
{
    /// <summary>Name used in health and version reports.</summary>
    public const string Name = "KojiComposer.Scheduler";
}
