namespace KojiComposer.HubBridge.Calls;

/// <summary>koji.BUILD_STATES.</summary>
public enum KojiBuildState
{
    Building = 0,
    Complete = 1,
    Deleted = 2,
    Failed = 3,
    Canceled = 4,
}
