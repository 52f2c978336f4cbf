namespace KojiComposer.HubSimulator.State;

public sealed partial class HubState
{
    public Dictionary<long, SimTask> Tasks { get; } = [];
}
