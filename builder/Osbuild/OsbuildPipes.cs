using System.Text;

namespace KojiComposer.Builder.Osbuild;

/// <summary>osbuild's three pipes: manifest in, result out, monitor and stray text on stderr.</summary>
internal static class OsbuildPipes
{
    // A result with every stage's full output is large but not this large; past it osbuild is not printing a result.
    private const int MaxResultBytes = 512 * 1024 * 1024;

    /// <summary>How long the pipes may stay open after osbuild ended on its own.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The same after a cancel, which must be over within seconds.</summary>
    public static readonly TimeSpan CancelDrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Writes the manifest (UTF-8, no BOM) and closes stdin. osbuild exiting before it read everything (a
    /// bad command line) is not an error here: its exit code and output tell why.</summary>
    public static async Task WriteAsync(Stream stdin, string manifest)
    {
        try
        {
            await using (stdin.ConfigureAwait(false))
            {
                await stdin.WriteAsync(new UTF8Encoding(false).GetBytes(manifest)).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // EPIPE: osbuild is gone.
        }
    }

    /// <summary>All of stdout as text.</summary>
    public static async Task<string> ReadAllAsync(Stream stdout, int maxBytes = MaxResultBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        var full = false;
        int read;
        while ((read = await stdout.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            // Keep reading past the limit so osbuild never blocks on a full pipe; the truncated text will not decode.
            // Once a chunk did not fit, nothing later is kept either: a smaller later chunk would splice the end of
            // the output onto its start.
            full = full || buffer.Length + read > maxBytes;
            if (!full)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Feeds stderr to the monitor parser as it arrives.</summary>
    public static async Task PumpAsync(Stream stderr, JsonSeqMonitorParser parser)
    {
        var chunk = new byte[64 * 1024];
        int read;
        var parsing = true;
        while ((read = await stderr.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            // Locked: after a drain timeout the runner completes the parser while this may still run.
            lock (parser)
            {
                try
                {
                    if (parsing)
                    {
                        parser.Feed(chunk.AsSpan(0, read));
                    }
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
                {
                    // Whatever goes wrong in parsing, stderr is still drained to the end: osbuild blocks on a full
                    // pipe, and an unread stderr would hang the build.
                    parsing = false;
                }
            }
        }
    }

    /// <summary>Waits for the pipes to end after osbuild exited and its group was killed; bounded, so that a process
    /// that escaped with our pipes open cannot hang the worker.</summary>
    public static async Task DrainAsync(TimeSpan timeout, params Task[] pipes)
    {
        try
        {
            await Task.WhenAll(pipes).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The result then is what arrived so far.
        }
    }
}
