using System.Collections.Concurrent;
using System.Diagnostics;
using KojiComposer.Scheduler.Hosting;

namespace KojiComposer.Scheduler.Tests.Engine;

/// <summary>
/// A scheduler process (tests/KojiComposer.Scheduler.TestHost) on the test's store, to be killed with SIGKILL the
/// way a crashed or power-cut machine stops: no shutdown code runs, no lease is handed back.
/// </summary>
internal sealed class ChildEngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ChildEngineProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Enqueue(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ChildEngineProcess Start(StoreSettings store, params string[] arguments)
    {
        var host = typeof(TestHost.Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(host);
        if (store.Kind == StoreKind.Postgres)
        {
            foreach (var a in new[] { "--store", "postgres", "--connection", store.PostgresConnectionString!, "--schema", store.PostgresSchema, "--hangfire-schema", store.HangfireSchema })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            foreach (var a in new[] { "--store", "embedded", "--path", store.EmbeddedPath })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return new ChildEngineProcess(Process.Start(info)!);
    }

    /// <summary>Waits for an output line starting with <paramref name="prefix"/> and returns the rest of it.</summary>
    public async Task<string> WaitForLineAsync(string prefix)
    {
        await Eventually.TrueAsync(() => _lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)) || _process.HasExited, $"the child to print \"{prefix}\"");
        var line = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the child exited with {_process.ExitCode} before printing \"{prefix}\"");
        return line[prefix.Length..];
    }

    public int LinesStartingWith(string prefix) => _lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>SIGKILL, then waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
