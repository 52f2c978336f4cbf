namespace KojiComposer.HubBridge.Calls;

/// <summary>koji.TASK_STATES.</summary>
public enum KojiTaskState
{
    Free = 0,
    Open = 1,
    Closed = 2,
    Canceled = 3,
    Assigned = 4,
    Failed = 5,
}
