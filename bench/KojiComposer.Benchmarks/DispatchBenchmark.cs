using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KojiComposer.Benchmarks;

/// <summary>
/// <c>dispatch [--composes 200] [--images 4] [--rate 10] [--workers 8]</c>: hand-off latency of the engine on
/// PostgreSQL (the test stack's, KOJICOMPOSER_TEST_PG). This process runs the scheduler role and submits composes
/// at <c>--rate</c> per second; a second process runs the builder role with a no-op build, as a builder machine
/// would. Reported: "ready -> started" of image jobs (Hangfire job created by the reservation step -> the builder
/// claims it) and of finalize (last image ended -> finalize claimed), p50/p99/max.
/// </summary>
internal static class DispatchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var composes = Option(args, "--composes", 200);
        var images = Option(args, "--images", 4);
        var rate = Option(args, "--rate", 10);
        var workers = Option(args, "--workers", 8);
        var server = Environment.GetEnvironmentVariable("KOJICOMPOSER_TEST_PG")
            ?? throw new InvalidOperationException("KOJICOMPOSER_TEST_PG is not set: start the test stack (tools/test-stack.sh start) and source its env file");
        var database = "kc_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        try
        {
            var store = new StoreSettings
            {
                Kind = StoreKind.Postgres,
                PostgresConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 100 }.ConnectionString,
            };
            return await MeasureAsync(store, composes, images, rate, workers);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    /// <summary>The builder process: <c>dispatch-builder CONNECTION WORKERS</c>; prints <c>started MS</c> per
    /// image job.</summary>
    public static async Task<int> RunBuilderAsync(string[] args)
    {
        var store = new StoreSettings { Kind = StoreKind.Postgres, PostgresConnectionString = args[0] };
        var observer = new LatencyObserver();
        using var host = BuildHost(store, new RoleSettings { Scheduler = false, BuildArches = ["x86_64", "aarch64", "ppc64le", "s390x"], BuildWorkers = int.Parse(args[1], CultureInfo.InvariantCulture), ServerName = "bench-builder" }, observer);
        await host.StartAsync();
        Console.WriteLine("ready");
        // Runs until the parent kills it.
        while (true)
        {
            await Task.Delay(200);
            foreach (var ms in observer.Drain())
            {
                Console.WriteLine("started " + ms.ToString("0.###", CultureInfo.InvariantCulture));
            }
        }
    }

    private static async Task<int> MeasureAsync(StoreSettings store, int composes, int images, int rate, int workers)
    {
        // The schemas exist before the builder connects.
        var schedulerObserver = new LatencyObserver();
        using var host = BuildHost(store, new RoleSettings { Scheduler = true, SchedulerWorkers = 4, BuildArches = [], ServerName = "bench-scheduler" }, schedulerObserver);
        await host.StartAsync();

        var builder = StartBuilder(store, workers);
        var imageLatencies = new ConcurrentBag<double>();
        builder.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("started ", StringComparison.Ordinal) == true)
            {
                imageLatencies.Add(double.Parse(e.Data["started ".Length..], CultureInfo.InvariantCulture));
            }
        };
        builder.BeginOutputReadLine();
        var storeService = host.Services.GetRequiredService<IComposeStore>();
        var operations = host.Services.GetRequiredService<IComposeOperations>();
        await Task.Delay(2000); // let the builder's servers register and start polling

        var wall = Stopwatch.StartNew();
        var ids = new List<Guid>();
        var arches = new[] { "x86_64", "aarch64", "ppc64le", "s390x" };
        for (var n = 0; n < composes; n++)
        {
            var compose = new NewCompose
            {
                Name = "bench",
                Version = "1",
                Release = n.ToString(CultureInfo.InvariantCulture),
                Distribution = "fedora-42",
                KojiTaskId = 100000 + n,
                Seed = n,
                Images = Enumerable.Range(0, images).Select(i => new NewComposeImage(arches[i % arches.Length], "guest-image", new JsonObject { ["architecture"] = arches[i % arches.Length] })).ToList(),
            };
            ids.Add((await operations.SubmitAsync(compose, CancellationToken.None)).Compose.Id);
            var due = TimeSpan.FromSeconds((n + 1) / (double)rate);
            if (due > wall.Elapsed)
            {
                await Task.Delay(due - wall.Elapsed);
            }
        }

        foreach (var id in ids)
        {
            while ((await storeService.GetAsync(id, CancellationToken.None))?.State.IsFinal() != true)
            {
                await Task.Delay(100);
            }
        }

        wall.Stop();
        await Task.Delay(500);
        builder.Kill(entireProcessTree: true);
        await builder.WaitForExitAsync();
        await host.StopAsync();

        var finalize = schedulerObserver.Drain(StepKind.Finalize);
        Console.WriteLine($"dispatch: {composes} composes x {images} images, submitted at {rate}/s, {workers} builder workers in a second process, QueuePollInterval {new EngineSettings().QueuePollInterval.TotalMilliseconds} ms");
        Console.WriteLine($"  wall {wall.Elapsed.TotalSeconds:0.0} s for {composes * images} image jobs");
        Console.WriteLine($"  image ready -> started   {Summary(imageLatencies.ToList())}");
        Console.WriteLine($"  last image -> finalize   {Summary(finalize)}");
        return imageLatencies.Count == composes * images ? 0 : 1;
    }

    private static string Summary(List<double> ms)
    {
        if (ms.Count == 0)
        {
            return "no samples";
        }

        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        return $"n={ms.Count} p50 {P(0.50):0} ms, p99 {P(0.99):0} ms, max {ms[^1]:0} ms";
    }

    private static readonly EngineSettings Engine = new() { QueuePollInterval = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("BENCH_POLL_MS") ?? "200", CultureInfo.InvariantCulture)) };

    private static IHost BuildHost(StoreSettings store, RoleSettings roles, LatencyObserver observer)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IComposeObserver>(observer);
        builder.Services.AddSingleton<IImageBuildStep, NoOpBuild>();
        builder.Services.AddSingleton<IComposeKojiSteps, NoOpKoji>();
        builder.Services.AddComposeScheduler(store, Engine, roles, new WebSettings());
        return builder.Build();
    }

    private static Process StartBuilder(StoreSettings store, int workers)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            info.ArgumentList.Add(typeof(DispatchBenchmark).Assembly.Location);
        }

        info.ArgumentList.Add("dispatch-builder");
        info.ArgumentList.Add(store.PostgresConnectionString!);
        info.ArgumentList.Add(workers.ToString(CultureInfo.InvariantCulture));
        return Process.Start(info)!;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class LatencyObserver : IComposeObserver
    {
        private readonly ConcurrentQueue<(StepKind Kind, double Ms)> _started = new();

        public void StepStarted(StepKind kind, string? arch, TimeSpan queuedFor) => _started.Enqueue((kind, queuedFor.TotalMilliseconds));

        public void StepFinished(StepKind kind, string? arch, TimeSpan duration, string outcome)
        {
        }

        public void ComposeFinished(ComposeState state)
        {
        }

        public List<double> Drain(StepKind kind = StepKind.Image)
        {
            var result = new List<double>();
            var keep = new List<(StepKind, double)>();
            while (_started.TryDequeue(out var item))
            {
                if (item.Kind == kind)
                {
                    result.Add(item.Ms);
                }
                else
                {
                    keep.Add(item);
                }
            }

            foreach (var item in keep)
            {
                _started.Enqueue(item);
            }

            return result;
        }
    }

    private sealed class NoOpBuild : IImageBuildStep
    {
        public Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, IImageBuildReporter reporter, CancellationToken cancellationToken) =>
            Task.FromResult(ImageBuildOutcome.Succeeded());
    }

    private sealed class NoOpKoji : IComposeKojiSteps
    {
        private long _build;

        public Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken) =>
            Task.FromResult<Reservation?>(new Reservation(Interlocked.Increment(ref _build), "t"));

        public Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
