using System.Diagnostics;
using System.Globalization;
using KojiComposer.Builder;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Benchmarks;

/// <summary>
/// <c>artifact [GiB] [--hub-store DIR]</c>: an image artifact from osbuild's output directory to the hub simulator
/// the way a worker ships it. The osbuild stand-in (tests/standins/osbuild, run by <see cref="OsbuildRunner"/>)
/// writes a patterned artifact of the given size (default 4 GiB); then, twice, one raw POST of the file to the
/// hub's upload endpoint and the worker's <see cref="KojiArtifactUploader"/> (CG login, verified chunks, md5 and
/// sha256). Reports the uploader's throughput against the raw POST (target ≥ 90 %), its peak RSS (target ≤ 200
/// MiB) and the bytes it read, through system calls (rchar) and from storage (read_bytes), against the file size
/// (target: exactly once). Needs the test stack env (<c>tools/test-stack.sh start &amp;&amp; . .test-stack/env</c>).
/// </summary>
internal static class ArtifactBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var gib = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? double.Parse(args[0], CultureInfo.InvariantCulture) : 4.0;
        var size = (long)(gib * 1024 * 1024 * 1024);
        var work = Directory.CreateTempSubdirectory("kc-bench-artifact-");
        var storeIndex = Array.IndexOf(args, "--hub-store");
        var store = storeIndex >= 0 && storeIndex + 1 < args.Length
            ? Directory.CreateDirectory(Path.Combine(args[storeIndex + 1], $"kc-bench-hub-{Environment.ProcessId}")).FullName
            : Path.Combine(work.FullName, "hub");
        var port = 20000 + Random.Shared.Next(20000);
        using var simulator = await BenchProcess.StartSimulatorAsync(port, store).ConfigureAwait(false);
        var hubPid = simulator.Id.ToString(CultureInfo.InvariantCulture);
        try
        {
            var url = new Uri($"http://localhost:{port}/kojihub");
            var artifact = await ProduceAsync(work.FullName, size).ConfigureAwait(false);
            var options = new KojiHubOptions { Url = url };
            var identity = KerberosIdentity.FromKeytab(TestStack.ContentGeneratorPrincipal, TestStack.Keytab("osbuild-cg"));
            var uploader = new KojiArtifactUploader(options, identity, NullLogger<KojiArtifactUploader>.Instance);
            var directory = KojiUploadDirectory.For(Guid.NewGuid());
            await using var session = await KojiSession.LoginAsync(options, identity).ConfigureAwait(false);
            Console.WriteLine($"artifact benchmark: {gib:0.##} GiB artifact from the osbuild stand-in, simulator pid {simulator.Id}");
            var raw = new List<double>();
            var ours = new List<double>();
            long peak = 0, rchar = 0, storage = 0;
            double oursClientCpu = 0, oursHubCpu = 0, oursWall = 0;
            for (var round = 0; round < 2; round++)
            {
                raw.Add(await UploadBenchmark.RawPostAsync(url, session, artifact, size, $"raw-{round}.qcow2", directory).ConfigureAwait(false));
                BenchProcess.ResetPeakRss();
                var (readBefore, storageBefore) = (BenchProcess.ReadChars(), BenchProcess.StorageReadBytes());
                var (clientCpu, hubCpu) = (BenchProcess.CpuSeconds("self"), BenchProcess.CpuSeconds(hubPid));
                var name = $"Bench-1-{round}.x86_64.qcow2";
                var watch = Stopwatch.StartNew();
                var files = await uploader.UploadAsync(url.ToString(), directory, [new ArtifactFile(artifact, name, "image", "x86_64")], null, CancellationToken.None).ConfigureAwait(false);
                watch.Stop();
                ours.Add(size / watch.Elapsed.TotalSeconds);
                oursWall += watch.Elapsed.TotalSeconds;
                oursClientCpu += BenchProcess.CpuSeconds("self") - clientCpu;
                oursHubCpu += BenchProcess.CpuSeconds(hubPid) - hubCpu;
                rchar = BenchProcess.ReadChars() - readBefore;
                storage = BenchProcess.StorageReadBytes() - storageBefore;
                peak = Math.Max(peak, BenchProcess.PeakRssBytes());
                if (files.Single().Filesize != size)
                {
                    throw new InvalidOperationException($"uploaded {files.Single().Filesize} bytes of {size}");
                }

                // Keep the hub's disk at one file, outside the measured parts.
                foreach (var uploaded in new[] { $"raw-{round}.qcow2", name })
                {
                    File.Delete(Path.Combine(store, "work", directory, uploaded));
                }
            }

            Console.WriteLine($"  raw POST (one request):      {raw.Max() / 1048576:0} MiB/s (runs: {Runs(raw)})");
            Console.WriteLine($"  KojiArtifactUploader:        {ours.Max() / 1048576:0} MiB/s (runs: {Runs(ours)})");
            Console.WriteLine($"  ratio:                       {ours.Max() / raw.Max():P0} of the raw POST (target >= 90 %)");
            Console.WriteLine($"  peak RSS (upload):           {peak / 1048576.0:0} MiB (target <= 200 MiB)");
            Console.WriteLine($"  bytes read (rchar):          {rchar / 1048576.0:0.0} MiB for a {size / 1048576.0:0} MiB file ({(double)rchar / size:0.000}x)");
            Console.WriteLine($"  bytes read from storage:     {storage / 1048576.0:0.0} MiB (page-cache hits do not count)");
            Console.WriteLine($"  CPU per GiB, uploader:       client {oursClientCpu / (2 * gib):0.00} s, hub {oursHubCpu / (2 * gib):0.00} s ({(oursClientCpu + oursHubCpu) / oursWall:0.00} cores busy of {Environment.ProcessorCount})");
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

    private static string Runs(List<double> rates) =>
        string.Join(", ", rates.Select(r => (r / 1048576).ToString("0", CultureInfo.InvariantCulture)));

    /// <summary>Runs the osbuild stand-in as a worker would and returns the exported artifact's path.</summary>
    private static async Task<string> ProduceAsync(string work, long size)
    {
        var standin = Path.Combine(RepositoryRoot(), "tests", "standins", "osbuild");
        var settings = new BuilderSettings { Osbuild = standin, StoreDirectory = Path.Combine(work, "store"), WorkDirectory = work };
        var runner = new OsbuildRunner(settings, NullLogger<OsbuildRunner>.Instance);
        var output = Path.Combine(work, "output");
        const string Manifest = """{"version": "2", "pipelines": [{"name": "build", "stages": []}, {"name": "os", "build": "name:build", "stages": []}, {"name": "qcow2", "build": "name:build", "stages": []}], "sources": {}}""";
        var watch = Stopwatch.StartNew();
        var result = await runner.RunAsync(new OsbuildRunRequest
        {
            Manifest = Manifest,
            Export = "qcow2",
            OutputDirectory = output,
            StoreDirectory = settings.StoreDirectory,
            Environment = new Dictionary<string, string> { ["OSBUILD_STANDIN_ARTIFACT_BYTES"] = size.ToString(CultureInfo.InvariantCulture) },
        }, null, CancellationToken.None).ConfigureAwait(false);
        if (!result.Success)
        {
            throw new InvalidOperationException($"the osbuild stand-in failed: {result.Error}");
        }

        Console.WriteLine($"  osbuild stand-in wrote the artifact in {watch.Elapsed.TotalSeconds:0.0} s");
        return Path.Combine(output, "qcow2", "disk.qcow2");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KojiComposer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository (tests/standins/osbuild is needed)");
    }
}
