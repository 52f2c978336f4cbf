using System.Runtime.InteropServices;

namespace KojiComposer.Benchmarks;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), in seconds. On a shared machine
/// wall time also counts the time spent waiting for a core; thread CPU time does not, and with the workstation GC
/// the collections a benchmark triggers run on its own thread, so they are still counted. NaN elsewhere.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static double Now()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            return double.NaN;
        }

        return time.Seconds + (time.Nanoseconds / 1e9);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
