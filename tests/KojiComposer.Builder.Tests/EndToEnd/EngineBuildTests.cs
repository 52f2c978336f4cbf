using System.Text.Json.Nodes;
using Hangfire.InMemory;
using KojiComposer.Builder.Worker;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Calls;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Testing.Hub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.EndToEnd;

/// <summary>
/// The scheduler's engine (embedded store) with the builder wired in as the service wires it
/// (<see cref="BuilderHosting.AddImageBuilder"/>) and the stand-ins as osbuild and image-builder: a compose of two
/// images goes from submission to the import step, the images' live progress reaches the store while osbuild
/// runs, and their files land in the compose's Koji directory under the build the reservation made. The Koji
/// reservation is a real CGInitBuild on the hub simulator; the import only records what it was given (issue 5
/// brings the real one).
/// </summary>
public sealed class EngineBuildTests
{
    [Fact]
    public async Task Compose_BuildsEveryImageWithProgressAndUploadsThem_ThroughTheEngine()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var root = Directory.CreateTempSubdirectory("kc-engine-build-");
        try
        {
            var store = ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = Path.Combine(root.FullName, "kojicomposer.db") });
            await store.MigrateAsync(CancellationToken.None);
            using var storage = new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Guid });
            var koji = new HubKojiSteps(hub);
            var settings = new BuilderSettings
            {
                Osbuild = Standins.Osbuild,
                StoreDirectory = Path.Combine(root.FullName, "store"),
                WorkDirectory = Path.Combine(root.FullName, "builds"),
                ProgressInterval = TimeSpan.FromMilliseconds(200),
                // Three seconds in the first pipeline, reporting as it goes, then a normal build.
                OsbuildEnvironment = new Dictionary<string, string> { ["OSBUILD_STANDIN_SCENARIO"] = "slow", ["OSBUILD_STANDIN_SLOW_SECONDS"] = "3" },
                Generator = new ManifestGeneratorSettings { Command = Standins.ImageBuilder },
            };
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddImageBuilder(settings, hub.ClientOptions(), SimulatedHub.ContentGeneratorIdentity);
            builder.Services.AddSingleton<IComposeKojiSteps>(koji);
            builder.Services.AddComposeEngine(store, storage, new EngineSettings
            {
                LeaseDuration = TimeSpan.FromSeconds(10),
                LeaseRenewInterval = TimeSpan.FromMilliseconds(300),
                QueuePollInterval = TimeSpan.FromMilliseconds(100),
                ShutdownGrace = TimeSpan.FromSeconds(1),
            }, new RoleSettings { BuildArches = ["x86_64", "aarch64"], BuildWorkers = 2, ServerName = "e2e" });
            using var host = builder.Build();
            await host.StartAsync();
            var operations = host.Services.GetRequiredService<IComposeOperations>();

            var submitted = (await operations.SubmitAsync(new NewCompose
            {
                Name = "Fedora-Cloud",
                Version = "42",
                Release = "7",
                Distribution = "fedora-42",
                KojiTaskId = 1234,
                KojiServer = hub.Url.AbsoluteUri,
                Seed = 4242,
                Customizations = new JsonObject { ["packages"] = new JsonArray("cloud-init") },
                Images = [Image("x86_64"), Image("aarch64")],
            }, CancellationToken.None)).Compose;
            ImageProgress? seen = null;
            Compose compose;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!(compose = (await store.GetAsync(submitted.Id, CancellationToken.None))!).State.IsFinal() && DateTime.UtcNow < deadline)
            {
                // Progress while the image is still building, as the API and the pages show it.
                seen ??= compose.Images.FirstOrDefault(i => i.State == ImageState.Building && i.Progress is { Total: > 0 })?.Progress;
                await Task.Delay(100);
            }

            await host.StopAsync();
            Assert.Equal(ComposeState.Success, compose.State);
            Assert.NotNull(seen); // the image status showed osbuild's progress while it ran
            Assert.Equal(compose.Reservation!.BuildId, koji.ImportedBuild);
            var directory = KojiUploadDirectory.For(compose.Id);
            foreach (var image in compose.Images)
            {
                var result = ImageBuildResult.FromJson(image.Result!);
                var name = $"Fedora-Cloud-42-7.{image.Arch}.qcow2";
                Assert.Equal(directory, result.Koji!.Directory);
                Assert.Equal(name, result.Koji.Files[0].Filename);
                var onHub = new FileInfo(Path.Combine(hub.Hub.WorkDir, directory, name));
                Assert.Equal(result.Koji.Files[0].Filesize, onHub.Length);
                // The compose's seed reached the generator (the stand-in writes it into its rpm stages).
                Assert.Equal(4242, (long)JsonNode.Parse(image.Manifest!)!["pipelines"]![0]!["stages"]![0]!["options"]!["seed"]!);
            }

            Assert.Empty(Directory.GetFileSystemEntries(settings.WorkDirectory));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            root.Delete(recursive: true);
        }
    }

    private static NewComposeImage Image(string arch) => new(arch, "guest-image", new JsonObject
    {
        ["architecture"] = arch,
        ["image_type"] = "guest-image",
        ["repositories"] = new JsonArray(new JsonObject { ["baseurl"] = $"https://mirror.example/fedora/42/{arch}/os/" }),
    });

    /// <summary>Reserves with a real CGInitBuild as the CG user; the "import" records the build it was asked to
    /// import.</summary>
    private sealed class HubKojiSteps(SimulatedHub hub) : IComposeKojiSteps
    {
        public long? ImportedBuild { get; private set; }

        public async Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken)
        {
            await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
            KojiReservation reservation = await session.CGInitBuildAsync("osbuild", compose.Name, compose.Version, compose.Release, cancellationToken: cancellationToken);
            return new Reservation(reservation.BuildId, reservation.Token);
        }

        public Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken)
        {
            ImportedBuild = compose.Reservation?.BuildId;
            return Task.FromResult<string?>(null);
        }

        public Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
