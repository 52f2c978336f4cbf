namespace KojiComposer.HubSimulator.State;

/// <summary>A builder host (koji <c>host</c> + <c>host_config</c> + <c>host_channels</c>).</summary>
public sealed class SimHost
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public required long UserId { get; init; }

    public List<string> Arches { get; } = [];

    public HashSet<long> Channels { get; } = [];

    public double Capacity { get; set; } = 4.0;

    public bool Enabled { get; set; } = true;

    public bool Ready { get; set; }

    public double TaskLoad { get; set; }

    /// <summary>When <c>host.updateHost</c> last ran (the hub's liveness clock).</summary>
    public DateTimeOffset? UpdateTime { get; set; }

    /// <summary>The <c>data</c> of the latest updateHost (<c>methods</c>, <c>maxjobs</c>).</summary>
    public Dictionary<string, object?> Data { get; } = new(StringComparer.Ordinal);
}
