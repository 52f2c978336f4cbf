using Hangfire;
using KojiComposer.Contracts.Builders;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// What a builder advertises at start-up (arches, osbuild version and path, manifest generator and version), as the
/// scheduler's <c>/hangfire/builders</c> page and <c>/health</c> show it: a real builder server (the engine's
/// Hangfire servers) writes it into Hangfire's storage, the web front reads it back. Run once per store.
/// </summary>
public abstract class BuildersPageTests : IDisposable
{
    private static readonly BuilderAdvertisement Advertisement =
        new(["x86_64", "aarch64"], "191", "/usr/bin/osbuild", "image-builder", "45");

    private readonly EngineBackend _backend;

    protected BuildersPageTests(EngineBackend backend) => _backend = backend;

    public void Dispose()
    {
        _backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task BuildersPage_ListsEachLiveBuilder_WithItsOsbuildAndGenerator()
    {
        var (web, builder, storage) = await StartAsync(new RoleSettings
        {
            Scheduler = false, BuildArches = ["x86_64", "aarch64"], BuildWorkers = 2, ServerName = "builder1", Advertisement = () => Advertisement,
        });
        await using var _ = web;
        await using var __ = builder;
        await WaitForBuilderAsync(web);

        var page = await web.Client.GetStringAsync("hangfire/builders");

        Assert.Contains($"builder1:builder:{Environment.ProcessId}:", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"kc-builder-arches\">x86_64, aarch64</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"kc-builder-workers\">2</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"kc-builder-osbuild\">191</td>", page, StringComparison.Ordinal);
        Assert.Contains("<code>/usr/bin/osbuild</code>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"kc-builder-generator\">image-builder 45</td>", page, StringComparison.Ordinal);
        // The menu entry leads there from every dashboard page.
        Assert.Contains("Builders", await web.Client.GetStringAsync("hangfire/composes"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NamesEachBuildersOsbuildAndGenerator_PerArch()
    {
        var (web, builder, _) = await StartAsync(new RoleSettings
        {
            Scheduler = false, BuildArches = ["x86_64"], BuildWorkers = 1, ServerName = "builder1", Advertisement = () => Advertisement with { Arches = ["x86_64"] },
        });
        await using var _1 = web;
        await using var _2 = builder;

        var details = await WaitForBuilderAsync(web);

        Assert.Equal($"x86_64: builder1:builder (pid {Environment.ProcessId}, 1 workers; osbuild 191, image-builder 45)", details);
    }

    [Fact]
    public async Task BuildersPage_SaysSo_WhenABuilderAdvertisedNothing()
    {
        var (web, builder, _) = await StartAsync(new RoleSettings { Scheduler = false, BuildArches = ["s390x"], ServerName = "old-builder" });
        await using var _1 = web;
        await using var _2 = builder;

        var details = await WaitForBuilderAsync(web);
        var page = await web.Client.GetStringAsync("hangfire/builders");

        Assert.Equal($"s390x: old-builder:builder (pid {Environment.ProcessId}, 1 workers; no osbuild version advertised)", details);
        Assert.Contains("not advertised", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advertisement_IsWithdrawn_WhenTheBuilderStops()
    {
        var (web, builder, storage) = await StartAsync(new RoleSettings
        {
            Scheduler = false, BuildArches = ["x86_64"], ServerName = "builder2", Advertisement = () => Advertisement,
        });
        await using var _ = web;
        await WaitForBuilderAsync(web);
        var key = BuilderAdvertisementHash.KeyOfThisProcess("builder2:builder");
        using (var connection = storage.GetConnection())
        {
            Assert.Equal("191", connection.GetAllEntriesFromHash(key)!["osbuild_version"]);
        }

        await builder.DisposeAsync();

        using (var connection = storage.GetConnection())
        {
            Assert.True(connection.GetAllEntriesFromHash(key) is null or { Count: 0 });
        }

        Assert.Contains("No builder is running", await web.Client.GetStringAsync("hangfire/builders"), StringComparison.Ordinal);
    }

    private async Task<(WebApp Web, TestEngineHost Builder, JobStorage Storage)> StartAsync(RoleSettings roles)
    {
        var store = await _backend.OpenStoreAsync();
        var storage = _backend.OpenJobStorage();
        var builder = await TestEngineHost.StartAsync(store, storage, roles);
        // The web front reads the builder's Hangfire storage, as a scheduler machine reads the shared database.
        var web = await WebApp.StartAsync(configure: s => s.AddSingleton(storage));
        return (web, builder, storage);
    }

    private static async Task<string> WaitForBuilderAsync(WebApp web)
    {
        var (_, body) = await Eventually.ValueAsync(
            () => web.Client.GetJsonAsync("health"),
            r => r.Body["checks"]!["builders"]!["details"]!.GetValue<string>().Contains(":builder (pid", StringComparison.Ordinal),
            "the builder server to register");
        return body["checks"]!["builders"]!["details"]!.GetValue<string>();
    }
}

/// <summary>On the embedded store's Hangfire.InMemory.</summary>
public sealed class EmbeddedBuildersPageTests() : BuildersPageTests(new EmbeddedBackend());

/// <summary>On Hangfire.PostgreSql.</summary>
public sealed class PostgresBuildersPageTests(KojiComposer.Testing.PostgresDatabaseFixture database)
    : BuildersPageTests(new PostgresBackend(database)), IClassFixture<KojiComposer.Testing.PostgresDatabaseFixture>;
