using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Koji;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.TestHost;

/// <summary>
/// <c>TestHost --store embedded|postgres --path FILE | --connection CS [--schema S --hangfire-schema H]
/// [--scheduler] [--arches a,b] [--submit] [--block] [--lease-ms N] [--build-id N]</c>. Prints
/// <c>submitted &lt;compose id&gt;</c> after <c>--submit</c> and <c>building &lt;compose id&gt; &lt;image&gt;</c>
/// when a build starts; with <c>--block</c> builds never end (the test kills the process).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Args.Parse(args);
        var store = options["store"] == "postgres"
            ? new StoreSettings { Kind = StoreKind.Postgres, PostgresConnectionString = options["connection"], PostgresSchema = options.GetValueOrDefault("schema", "kojicomposer"), HangfireSchema = options.GetValueOrDefault("hangfire-schema", "hangfire") }
            : new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = options["path"] };
        var leaseMs = int.Parse(options.GetValueOrDefault("lease-ms", "3000"), System.Globalization.CultureInfo.InvariantCulture);
        var engine = new EngineSettings
        {
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
            LeaseRenewInterval = TimeSpan.FromMilliseconds(leaseMs / 10),
            ReconcileInterval = TimeSpan.FromMilliseconds(500),
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
            InvisibilityTimeout = TimeSpan.FromSeconds(2),
        };
        var roles = new RoleSettings
        {
            Scheduler = options.ContainsKey("scheduler"),
            BuildArches = options.TryGetValue("arches", out var arches) ? arches.Split(',') : [],
            BuildWorkers = 4,
            ServerName = options.GetValueOrDefault("name", "child"),
        };
        var build = new ScriptedBuildStep(roles.ServerName);
        if (options.ContainsKey("block"))
        {
            build.Behavior = async (request, reporter, cancellationToken) =>
            {
                reporter.Report(ImageBuildPhase.Building, new ImageProgress(1, 4, "pipeline: os"));
                Console.WriteLine($"building {request.ComposeId} {request.ImageIndex}");
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            };
        }

        var koji = new RecordingKojiSteps(long.Parse(options.GetValueOrDefault("build-id", "7000"), System.Globalization.CultureInfo.InvariantCulture));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IImageBuildStep>(build);
        builder.Services.AddSingleton<IComposeKojiSteps>(koji);
        builder.Services.AddComposeScheduler(store, engine, roles, new WebSettings());
        using var host = builder.Build();
        await host.StartAsync();
        if (options.ContainsKey("submit"))
        {
            var operations = host.Services.GetRequiredService<IComposeOperations>();
            var (compose, _) = await operations.SubmitAsync(Composes.Koji(), CancellationToken.None);
            Console.WriteLine($"submitted {compose.Id}");
        }

        Console.Out.Flush();
        await host.WaitForShutdownAsync();
        return 0;
    }
}

internal static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var key = args[i].TrimStart('-');
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            result[key] = hasValue ? args[++i] : "";
        }

        return result;
    }
}
