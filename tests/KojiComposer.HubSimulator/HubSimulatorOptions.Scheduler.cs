namespace KojiComposer.HubSimulator;

/// <summary>The hub options of the task scheduler and the archive types (defaults: koji 1.35.3, kojixmlrpc.py).</summary>
public sealed partial record HubSimulatorOptions
{
    /// <summary>Hub option RunInterval: the scheduler runs at most this often (koji-wire.md §9.1).</summary>
    public TimeSpan RunInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Hub option ReadyTimeout: a host not updated for this long is marked not ready.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Hub option AssignTimeout: an ASSIGNED task not opened for this long is freed.</summary>
    public TimeSpan AssignTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Hub option HostTimeout: OPEN tasks of a host silent (no updateHost) for this long are freed.</summary>
    public TimeSpan HostTimeout { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>Hub option SoftRefusalTimeout: soft refusals are forgotten after this long.</summary>
    public TimeSpan SoftRefusalTimeout { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>Hub option MaxJobs: tasks per host unless its updateHost data says <c>maxjobs</c>.</summary>
    public int MaxJobs { get; init; } = 15;

    /// <summary>Hub option CapacityOvercommit.</summary>
    public double CapacityOvercommit { get; init; } = 5;

    /// <summary>Whether the archive type <c>wsl</c> exists (koji schema 1.37; the observed hub has it).</summary>
    public bool WslArchiveType { get; init; } = true;
}
