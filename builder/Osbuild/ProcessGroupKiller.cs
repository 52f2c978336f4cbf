using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Osbuild;

/// <summary>
/// Stops osbuild and everything it started. osbuild runs as the leader of a process group of its own (launched
/// through <c>setsid</c>), so one <c>kill(-pgid)</c> reaches its stages, bubblewrap and helpers; processes that
/// left the group (a stage calling setsid) are found through /proc before anything is signalled, because once
/// osbuild is dead they no longer descend from it. osbuild cannot be interrupted cleanly (osbuild-run.md §2), so
/// SIGTERM, a grace period, then SIGKILL.
/// </summary>
internal sealed class ProcessGroupKiller(Process process, ILogger logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(2);
    private readonly int _pid = process.Id;
    private readonly HashSet<ProcessId> _known = [];

    /// <summary>SIGTERM to the group and every known descendant, <paramref name="grace"/> to go, then SIGKILL;
    /// returns when osbuild has exited (and been reaped) and the others are gone, or after a bounded wait.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Collect();
        Log.OsbuildCancelling(logger, _pid, _known.Count);
        Signal(Libc.SigTerm);
        if (await WaitGoneAsync(grace).ConfigureAwait(false))
        {
            return;
        }

        Log.OsbuildKilling(logger, _pid, grace.TotalSeconds);
        Collect();
        Signal(Libc.SigKill);
        if (!await WaitGoneAsync(ReapTimeout).ConfigureAwait(false))
        {
            Log.OsbuildSurvivors(logger, _pid, string.Join(", ", Survivors().Select(p => p.Pid)));
        }
    }

    /// <summary>After osbuild ended on its own: SIGKILL whatever is left in its group (nothing should be; a leftover
    /// would keep our pipes open and the store locked).</summary>
    public void KillLeftovers()
    {
        if (_pid > 1 && Libc.Kill(-_pid, Libc.SigKill) == 0)
        {
            Log.OsbuildLeftovers(logger, _pid);
        }
    }

    private void Collect()
    {
        if (!process.HasExited)
        {
            _known.UnionWith(ProcessTree.Descendants(_pid));
        }
    }

    private void Signal(int signal)
    {
        // Never kill(0) or kill(-1): those address our own group or every process we may signal. osbuild itself only
        // while it has not exited: once .NET has reaped it, its pid may already belong to another process. (The
        // group id stays reserved while any member lives, so kill(-pgid) still reaches only osbuild's leftovers.)
        if (_pid > 1)
        {
            _ = Libc.Kill(-_pid, signal);
            if (!process.HasExited)
            {
                _ = Libc.Kill(_pid, signal);
            }
        }

        foreach (var child in _known.Where(c => c.Pid > 1 && c.IsRunning))
        {
            _ = Libc.Kill(child.Pid, signal);
        }
    }

    private IEnumerable<ProcessId> Survivors() => _known.Where(c => c.IsRunning);

    private async Task<bool> WaitGoneAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Collect();
            if (process.HasExited && !Survivors().Any())
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }
}
