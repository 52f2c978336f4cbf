using System.Globalization;

namespace KojiComposer.Builder.Osbuild;

/// <summary>A process as /proc shows it: its pid and start time (clock ticks since boot, field 22 of
/// <c>/proc/&lt;pid&gt;/stat</c>), which together name it even after the pid is reused.</summary>
internal readonly record struct ProcessId(int Pid, ulong StartTime)
{
    /// <summary>True while the process exists and is not a zombie (a zombie is dead, only not reaped yet).</summary>
    public bool IsRunning => ProcessTree.TryReadStat(Pid, out var stat) && stat.StartTime == StartTime && stat.State != 'Z';
}

/// <summary>Reads the process tree from /proc (proc(5)), so that cancelling osbuild also reaches children that left
/// its process group.</summary>
internal static class ProcessTree
{
    /// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> that we use.</summary>
    internal readonly record struct Stat(char State, int ParentPid, int ProcessGroup, ulong StartTime);

    /// <summary>Every living descendant of <paramref name="root"/> (not the root itself).</summary>
    public static List<ProcessId> Descendants(int root)
    {
        var children = new Dictionary<int, List<ProcessId>>();
        foreach (var directory in EnumerateProc())
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryReadStat(pid, out var stat) && stat.State != 'Z')
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add(new ProcessId(pid, stat.StartTime));
            }
        }

        var result = new List<ProcessId>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in children.GetValueOrDefault(parent) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child.Pid);
            }
        }

        return result;
    }

    /// <summary>Reads <c>/proc/&lt;pid&gt;/stat</c>; false when the process is gone.</summary>
    public static bool TryReadStat(int pid, out Stat stat)
    {
        stat = default;
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice threads itrealvalue starttime ...": comm may hold spaces and parentheses, so split after the
        // last ')'.
        var end = text.LastIndexOf(')');
        if (end < 0)
        {
            return false;
        }

        var fields = text[(end + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        stat = new Stat(fields[0][0], parent, group, start);
        return true;
    }

    private static IEnumerable<string> EnumerateProc()
    {
        try
        {
            return Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return [];
        }
    }
}
