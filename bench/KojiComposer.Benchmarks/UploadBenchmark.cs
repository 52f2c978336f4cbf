using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Testing;

namespace KojiComposer.Benchmarks;

/// <summary>
/// <c>upload [GiB] [chunk MiB]</c>: our chunked, verified rawUpload of a sparse file to the hub simulator (running as
/// a separate process, so this process's memory is the client's alone) against one raw POST of the same bytes to
/// the same endpoint in the same run. Reports throughput of both, their ratio (target ≥ 90 %), the client's peak
/// RSS during our upload (target ≤ 150 MiB) and the bytes it read (rchar). Needs the test stack:
/// <c>tools/test-stack.sh start &amp;&amp; . .test-stack/env</c>.
/// </summary>
internal static class UploadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var gib = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
        var chunkMiB = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var size = (long)(gib * 1024 * 1024 * 1024);
        var work = Directory.CreateTempSubdirectory("kc-bench-upload-");
        // The hub's store: by default next to the source file; "--hub-store DIR" (e.g. a tmpfs) keeps the hub's
        // own disk writes from competing with the client for the 2 cores.
        var storeIndex = Array.IndexOf(args, "--hub-store");
        var store = storeIndex >= 0 && storeIndex + 1 < args.Length
            ? Directory.CreateDirectory(Path.Combine(args[storeIndex + 1], $"kc-bench-hub-{Environment.ProcessId}")).FullName
            : Path.Combine(work.FullName, "hub");
        var port = 20000 + Random.Shared.Next(20000);
        using var simulator = await BenchProcess.StartSimulatorAsync(port, store).ConfigureAwait(false);
        try
        {
            var url = new Uri($"http://localhost:{port}/kojihub");
            var file = Path.Combine(work.FullName, "image.raw");
            await using (var stream = new FileStream(file, FileMode.CreateNew))
            {
                stream.SetLength(size);
                stream.Position = size / 2;
                stream.Write(new byte[4096].Select((_, i) => (byte)i).ToArray());
            }

            var options = new KojiHubOptions { Url = url, UploadChunkBytes = chunkMiB * 1024 * 1024 };
            var identity = KerberosIdentity.FromKeytab(TestStack.ContentGeneratorPrincipal, TestStack.Keytab("osbuild-cg"));
            await using var session = await KojiSession.LoginAsync(options, identity).ConfigureAwait(false);
            Console.WriteLine($"upload benchmark: {gib:0.##} GiB sparse file, chunk {chunkMiB} MiB, simulator pid {simulator.Id}");
            var raw = new List<double>();
            var ours = new List<double>();
            double rawClientCpu = 0, rawHubCpu = 0, oursClientCpu = 0, oursHubCpu = 0, rawWall = 0, oursWall = 0;
            long peak = 0;
            long readBytes = 0;
            for (var round = 0; round < 2; round++)
            {
                var (clientCpu, hubCpu) = (BenchProcess.CpuSeconds("self"), BenchProcess.CpuSeconds(simulator.Id.ToString(CultureInfo.InvariantCulture)));
                raw.Add(await RawPostAsync(url, session, file, size, $"raw-{round}.raw").ConfigureAwait(false));
                rawWall += size / raw[^1];
                rawClientCpu += BenchProcess.CpuSeconds("self") - clientCpu;
                rawHubCpu += BenchProcess.CpuSeconds(simulator.Id.ToString(CultureInfo.InvariantCulture)) - hubCpu;
                BenchProcess.ResetPeakRss();
                var before = BenchProcess.ReadChars();
                (clientCpu, hubCpu) = (BenchProcess.CpuSeconds("self"), BenchProcess.CpuSeconds(simulator.Id.ToString(CultureInfo.InvariantCulture)));
                var watch = Stopwatch.StartNew();
                await session.UploadFileAsync(file, "bench/upload", $"ours-{round}.raw").ConfigureAwait(false);
                ours.Add(size / watch.Elapsed.TotalSeconds);
                oursWall += watch.Elapsed.TotalSeconds;
                oursClientCpu += BenchProcess.CpuSeconds("self") - clientCpu;
                oursHubCpu += BenchProcess.CpuSeconds(simulator.Id.ToString(CultureInfo.InvariantCulture)) - hubCpu;
                readBytes = BenchProcess.ReadChars() - before;
                peak = Math.Max(peak, BenchProcess.PeakRssBytes());

                // Keep the hub's store at one file's size, outside the measured parts.
                foreach (var uploaded in new[] { $"raw-{round}.raw", $"ours-{round}.raw" })
                {
                    File.Delete(Path.Combine(store, "work", "bench", "upload", uploaded));
                }
            }

            var rawBest = raw.Max();
            var oursBest = ours.Max();
            Console.WriteLine($"  raw POST (one request):   {rawBest / 1048576:0} MiB/s (runs: {string.Join(", ", raw.Select(r => (r / 1048576).ToString("0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  KojiSession.UploadFile:   {oursBest / 1048576:0} MiB/s (runs: {string.Join(", ", ours.Select(r => (r / 1048576).ToString("0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  ratio:                    {oursBest / rawBest:P0} of the raw POST (target >= 90 %)");
            Console.WriteLine($"  client peak RSS (upload): {peak / 1048576.0:0} MiB (target <= 150 MiB)");
            Console.WriteLine($"  CPU per GiB, raw POST:    client {rawClientCpu / (2 * gib):0.00} s, hub {rawHubCpu / (2 * gib):0.00} s ({(rawClientCpu + rawHubCpu) / rawWall:0.00} cores busy)");
            Console.WriteLine($"  CPU per GiB, ours:        client {oursClientCpu / (2 * gib):0.00} s, hub {oursHubCpu / (2 * gib):0.00} s ({(oursClientCpu + oursHubCpu) / oursWall:0.00} cores busy of {Environment.ProcessorCount})");
            Console.WriteLine($"  bytes read by the client: {readBytes / 1048576.0:0} MiB for a {size / 1048576.0:0} MiB file");
            return 0;
        }
        finally
        {
            simulator.Kill(entireProcessTree: true);
            await simulator.WaitForExitAsync().ConfigureAwait(false);
            work.Delete(recursive: true);
            if (Directory.Exists(store))
            {
                Directory.Delete(store, recursive: true);
            }
        }
    }

    internal static async Task<double> RawPostAsync(Uri url, KojiSession session, string file, long size, string name, string directory = "bench/upload")
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var (id, key) = session.SessionSecretsForBenchmarks;
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, $"?filename={Uri.EscapeDataString(name)}&filepath={Uri.EscapeDataString(directory)}&fileverify=adler32&offset=0&overwrite=1"));
        request.Content = new StreamContent(stream, 1 << 20);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = size;
        request.Headers.Add("Koji-Session-Id", id.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Koji-Session-Key", key);
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        watch.Stop();
        if (!body.Contains("hexdigest", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("raw POST failed: " + body);
        }

        return size / watch.Elapsed.TotalSeconds;
    }
}
