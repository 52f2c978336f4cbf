namespace KojiComposer.HubSimulator.State;

public sealed partial class HubState
{
    /// <summary>When the task scheduler last ran (koji <c>scheduler_sys_data.last_run_ts</c>).</summary>
    public DateTimeOffset? SchedulerLastRun { get; set; }
}
