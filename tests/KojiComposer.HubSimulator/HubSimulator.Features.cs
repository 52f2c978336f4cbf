using KojiComposer.HubSimulator.ContentGenerator;
using KojiComposer.HubSimulator.Handlers;
using KojiComposer.HubSimulator.Scheduler;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator;

/// <summary>
/// The task, builder-host, build, tagging and Content Generator features, and the scheduler's timers. The timers run
/// on <see cref="Time"/>: with a manual clock in tests they fire when the test advances it (no sleeps).
/// </summary>
public sealed partial class HubSimulator
{
    private readonly Lock _timerSync = new();
    private ITimer? _timeouts;

    partial void RegisterFeatureHandlers()
    {
        State.ArchiveTypes.AddRange(ArchiveType.Observed.Where(t => Options.WslArchiveType || t.Name != "wsl"));
        TagReadHandlers.Register(this);
        BuildReadHandlers.Register(this);
        ChannelReadHandlers.Register(this);
        TaskReadHandlers.Register(this);
        HostHandlers.Register(this);
        HostResultHandlers.Register(this);
        SubtaskHandlers.Register(this);
        TaggingHandlers.Register(this);
        CancelHandlers.Register(this);
        OsbuildImageHandler.Register(this);
        ReservationHandlers.Register(this);
        CGImporter.Register(this);
        ArmTimeouts();
    }

    partial void OnTimeChanged() => ArmTimeouts();

    partial void OnDisposing()
    {
        lock (_timerSync)
        {
            _timeouts?.Dispose();
            _timeouts = null;
        }
    }

    /// <summary>
    /// The scheduler's timeout checks (ReadyTimeout, AssignTimeout, HostTimeout) every RunInterval of hub time. On a
    /// stock hub they run inside scheduler runs that hosts trigger; here they also run when nobody polls, so a test
    /// sees a silent host's tasks freed by advancing the clock alone.
    /// </summary>
    private void ArmTimeouts()
    {
        lock (_timerSync)
        {
            _timeouts?.Dispose();
            _timeouts = Time.CreateTimer(_ => CheckTimeouts(), null, Options.RunInterval, Options.RunInterval);
        }
    }

    /// <summary>Runs the scheduler's timeout checks now (what the timer does every RunInterval).</summary>
    public void CheckTimeouts()
    {
        lock (State.Sync)
        {
            new HubScheduler(State, Options).CheckTimeouts(Time.GetUtcNow());
        }
    }

    /// <summary>Changes the hub's state directly, as an admin would with the koji CLI (under the state's lock).</summary>
    public void Seed(Action<HubState> seed)
    {
        lock (State.Sync)
        {
            seed(State);
        }
    }

    /// <summary>Reads the hub's state directly (what the hub's database holds), under the state's lock.</summary>
    public T Read<T>(Func<HubState, T> read)
    {
        lock (State.Sync)
        {
            return read(State);
        }
    }

    /// <summary>Creates a FREE task as the hub's <c>make_task</c> does (seeding for tests).</summary>
    public SimTask CreateTask(
        string method, object?[] arglist, string owner, string? channel = null, string? arch = null, long? parent = null,
        string? label = null, int? priority = null)
    {
        lock (State.Sync)
        {
            var user = State.UserByName(owner) ?? throw new InvalidOperationException($"no user {owner}");
            return State.CreateTask(method, arglist, Time.GetUtcNow(), user.Id, channel, arch, parent, label, priority);
        }
    }
}
