using System.Diagnostics;
using System.Globalization;
using KojiComposer.Testing;

namespace KojiComposer.Benchmarks;

/// <summary>What the upload benchmarks share: the hub simulator as a separate process (so this process's memory is
/// the client's alone) and this process's figures from <c>/proc</c>.</summary>
internal static class BenchProcess
{
    /// <summary>Starts the hub simulator on <paramref name="port"/> with its Koji directory at
    /// <paramref name="kojiDir"/> and the test realm's CG user, and waits until it answers.</summary>
    public static async Task<Process> StartSimulatorAsync(int port, string kojiDir)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "KojiComposer.HubSimulator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--port", port.ToString(CultureInfo.InvariantCulture), "--kojidir", kojiDir, "--cg-user", "osbuild-cg=" + TestStack.ContentGeneratorPrincipal },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the hub simulator");
        var url = new Uri($"http://localhost:{port}/kojihub");
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var reply = await http.GetAsync(url).ConfigureAwait(false);
                return process;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"the hub simulator did not start at {url}");
    }

    /// <summary>User + system CPU seconds of a process (<c>/proc/&lt;pid&gt;/stat</c> fields 14 and 15, in clock ticks).</summary>
    public static double CpuSeconds(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Starts a new peak-RSS measurement.</summary>
    public static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>Peak RSS since <see cref="ResetPeakRss"/>.</summary>
    public static long PeakRssBytes() => StatusKiB("VmHWM:") * 1024;

    /// <summary>Bytes this process read through read-like system calls (<c>rchar</c>).</summary>
    public static long ReadChars() => Io("rchar:");

    /// <summary>Bytes this process caused to be read from storage (<c>read_bytes</c>; page-cache hits do not count).</summary>
    public static long StorageReadBytes() => Io("read_bytes:");

    private static long Io(string field)
    {
        var line = File.ReadLines("/proc/self/io").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim(), CultureInfo.InvariantCulture);
    }

    private static long StatusKiB(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
