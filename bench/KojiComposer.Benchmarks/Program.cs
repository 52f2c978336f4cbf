namespace KojiComposer.Benchmarks;

/// <summary>
/// Plain benchmark harness: <c>dotnet run -c Release --project bench/KojiComposer.Benchmarks -- &lt;name&gt;</c>.
/// Each subcommand is one class with a <c>Run</c> method returning an exit code; add new ones to the switch.
/// </summary>
internal static class Program
{
    private const int Success = 0;
    private const int UsageError = 2;

    public static async Task<int> Main(string[] args)
    {
        string name = args.Length > 0 ? args[0] : string.Empty;
        string[] rest = args.Length > 1 ? args[1..] : [];
        switch (name)
        {
            case "codec":
                return new CodecBenchmark().Run(rest);
            case "upload":
                return await UploadBenchmark.RunAsync(rest).ConfigureAwait(false);
            case "artifact":
                return await ArtifactBenchmark.RunAsync(rest).ConfigureAwait(false);
            case "s3":
                return await S3Benchmark.RunAsync(rest).ConfigureAwait(false);
            case "dispatch":
                return await DispatchBenchmark.RunAsync(rest).ConfigureAwait(false);
            case "dispatch-builder":
                return await DispatchBenchmark.RunBuilderAsync(rest).ConfigureAwait(false);
            default:
                Console.Error.WriteLine("usage: KojiComposer.Benchmarks <benchmark> [options]");
                Console.Error.WriteLine("benchmarks:");
                Console.Error.WriteLine("  codec [--iterations N]   XML-RPC decode/encode throughput on an ~11 MB Koji reply");
                Console.Error.WriteLine("  upload [GiB] [chunk MiB] rawUpload throughput and client RSS against one raw POST (needs the test stack env)");
                Console.Error.WriteLine("  artifact [GiB] [--hub-store DIR]  a worker's artifact upload (osbuild stand-in output) against one raw POST (needs the test stack env)");
                Console.Error.WriteLine("  s3 [GiB] [runs]          aws.s3 target's multipart upload to s3rver against one plain PUT (needs the test stack env)");
                Console.Error.WriteLine("  dispatch [--composes N] [--images N] [--rate N/s] [--workers N]  engine hand-off latency on PostgreSQL (needs the test stack env)");
                return name.Length == 0 || name is "-h" or "--help" ? Success : UsageError;
        }
    }
}
