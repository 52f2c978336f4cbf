using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Scheduler;

/// <summary>
/// The hub's task scheduler (koji ≥ 1.34 <c>kojihub/scheduler.py</c>, koji-wire.md §9.1): the hub assigns FREE tasks
/// to ready hosts whose channel × (arches + noarch) bins hold the task, within maxjobs and capacity, away from hosts
/// that refused the task, least loaded first; and it frees ASSIGNED tasks not opened within AssignTimeout and OPEN
/// tasks of hosts silent for HostTimeout. Called with the state lock held.
/// </summary>
internal sealed class HubScheduler(HubState state, HubSimulatorOptions options)
{
    /// <summary>
    /// <c>TaskScheduler.run()</c>: at most once per RunInterval (a skipped run changes nothing). Triggered by a host's
    /// <c>host.getTasks</c>/<c>host.getLoadData</c> when it has no ASSIGNED task.
    /// </summary>
    public bool Run(DateTimeOffset now)
    {
        if (state.SchedulerLastRun is { } last && now - last < options.RunInterval)
        {
            return false;
        }

        state.SchedulerLastRun = now;
        var active = ActiveTasks();
        CheckHosts(now);
        Schedule(now, active);
        CheckActiveTasks(now, active);
        return true;
    }

    /// <summary>The timer part of a run (check_hosts + check_active_tasks), without assigning anything.</summary>
    public void CheckTimeouts(DateTimeOffset now)
    {
        var active = ActiveTasks();
        CheckHosts(now);
        CheckActiveTasks(now, active);
    }

    private List<SimTask> ActiveTasks() =>
        state.Tasks.Values.Where(t => t.State is TaskState.Assigned or TaskState.Open && t.HostId is not null).OrderBy(t => t.Id).ToList();

    private IEnumerable<SimHost> EnabledHosts() => state.Hosts.Values.Where(h => h.Enabled).OrderBy(h => h.Id);

    /// <summary>check_hosts: a ready host whose last updateHost is older than ReadyTimeout is marked not ready.</summary>
    private void CheckHosts(DateTimeOffset now)
    {
        foreach (var host in EnabledHosts().Where(h => h.Ready))
        {
            if (host.UpdateTime is not { } updated || now - updated > options.ReadyTimeout)
            {
                host.Ready = false;
            }
        }
    }

    private sealed class HostLoad
    {
        public required SimHost Host { get; init; }

        public double Load { get; set; }

        public int Tasks { get; set; }

        public double Demand { get; set; }

        public required int MaxJobs { get; init; }

        public double Rank => Load + Tasks + Demand;
    }

    /// <summary>do_schedule.</summary>
    private void Schedule(DateTimeOffset now, List<SimTask> active)
    {
        var hosts = EnabledHosts().Select(h => new HostLoad { Host = h, MaxJobs = MaxJobsOf(h) }).ToList();
        var byId = hosts.ToDictionary(h => h.Host.Id);
        foreach (var task in active)
        {
            if (byId.TryGetValue(task.HostId!.Value, out var h))
            {
                h.Load += task.Waiting == true ? 0 : task.Weight;
                h.Tasks++;
            }
        }

        var free = state.Tasks.Values.Where(t => t.State == TaskState.Free)
            .OrderBy(t => t.Priority).ThenBy(t => t.CreateTime).ThenBy(t => t.Id).Take(1000).ToList();
        var candidates = new Dictionary<long, List<HostLoad>>();
        foreach (var task in free)
        {
            var refused = LiveRefusals(task, now);
            var minAvailable = Math.Max(0, task.Weight - options.CapacityOvercommit);
            var fits = hosts.Where(h => Serves(h.Host, task) && h.Host.Ready && h.Tasks < h.MaxJobs &&
                                         h.Host.Capacity - h.Load > minAvailable && !refused.Contains(h.Host.Id)).ToList();
            candidates[task.Id] = fits;
            foreach (var h in fits)
            {
                h.Demand += task.Weight / fits.Count;
            }
        }

        var totalDemand = hosts.Sum(h => h.Demand);
        if (totalDemand > 0)
        {
            foreach (var h in hosts)
            {
                h.Demand /= totalDemand;
            }
        }

        foreach (var task in free)
        {
            var minAvailable = Math.Max(0, task.Weight - options.CapacityOvercommit);
            foreach (var h in candidates[task.Id].OrderBy(h => h.Rank))
            {
                if (h.Host.Capacity - h.Load > minAvailable && h.Tasks < h.MaxJobs)
                {
                    task.State = TaskState.Assigned;
                    task.HostId = h.Host.Id;
                    task.AssignedAt = now;
                    h.Load += task.Weight;
                    h.Tasks++;
                    break;
                }
            }
        }
    }

    /// <summary>check_active_tasks: AssignTimeout (an implicit refusal if the host checked in since) and HostTimeout.</summary>
    private void CheckActiveTasks(DateTimeOffset now, List<SimTask> active)
    {
        foreach (var task in active)
        {
            if (task.State is not (TaskState.Assigned or TaskState.Open) || task.HostId is not { } hostId)
            {
                continue; // changed since the list was taken
            }

            if (!state.Hosts.TryGetValue(hostId, out var host) || !host.Enabled || task.AssignedAt is not { } assigned)
            {
                continue; // disabled host, or an override assignment the scheduler leaves alone
            }

            if (task.State == TaskState.Assigned)
            {
                if (now - assigned > options.AssignTimeout)
                {
                    if (host.UpdateTime is { } updated && updated > assigned)
                    {
                        task.Refusals[host.Id] = new SimRefusal(Soft: true, ByHost: false, "assignment timeout", now);
                    }

                    state.Free(task);
                }
            }
            else if (now - (host.UpdateTime ?? assigned) > options.HostTimeout)
            {
                state.Free(task);
            }
        }
    }

    /// <summary>The hosts that refused the task, soft refusals older than SoftRefusalTimeout dropped.</summary>
    private HashSet<long> LiveRefusals(SimTask task, DateTimeOffset now)
    {
        foreach (var (hostId, refusal) in task.Refusals.ToList())
        {
            if (refusal.Soft && now - refusal.At > options.SoftRefusalTimeout)
            {
                task.Refusals.Remove(hostId);
            }
        }

        return [.. task.Refusals.Keys];
    }

    /// <summary>A host serves the bins channel × (its arches + noarch).</summary>
    public static bool Serves(SimHost host, SimTask task) =>
        host.Channels.Contains(task.ChannelId) &&
        (string.Equals(task.Arch, "noarch", StringComparison.Ordinal) || host.Arches.Contains(task.Arch, StringComparer.Ordinal));

    private int MaxJobsOf(SimHost host) => host.Data.TryGetValue("maxjobs", out var m) && m is int or long && Convert.ToInt32(m, System.Globalization.CultureInfo.InvariantCulture) > 0
        ? Convert.ToInt32(m, System.Globalization.CultureInfo.InvariantCulture)
        : options.MaxJobs;
}
