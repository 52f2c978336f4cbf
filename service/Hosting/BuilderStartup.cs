using KojiComposer.Builder;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.Contracts.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace KojiComposer.Service.Hosting;

/// <summary>The builder role's start-up check, shared by <c>serve</c> (before any Hangfire server starts) and
/// <c>check-config</c>: the osbuild and manifest generator the builder's services would run.</summary>
public static class BuilderStartup
{
    /// <summary>Checks the prerequisites with the builder services of <paramref name="services"/>.</summary>
    /// <exception cref="BuilderPrerequisiteException">This machine cannot build.</exception>
    public static Task<BuilderAdvertisement> CheckAsync(IServiceProvider services, BuilderSettings settings, IReadOnlyList<string> arches, CancellationToken cancellationToken) =>
        BuilderPrerequisites.CheckAsync(
            settings,
            services.GetRequiredService<IOsbuildRunner>(),
            services.GetRequiredService<IManifestGenerator>(),
            arches,
            cancellationToken,
            services.GetService<UploadTargetSet>());

    /// <summary>Checks the prerequisites of <paramref name="options"/>' builder role on their own (no host, no
    /// hub, logs discarded), as <c>check-config</c> does.</summary>
    /// <exception cref="BuilderPrerequisiteException">This machine cannot build.</exception>
    public static async Task<BuilderAdvertisement> CheckAsync(KojiComposerOptions options, CancellationToken cancellationToken)
    {
        var settings = OptionsMapping.Builder(options);
        var services = new ServiceCollection().AddLogging().AddImageBuilder(settings, hub: null, contentGenerator: null);
        await using var provider = services.BuildServiceProvider();
        return await CheckAsync(provider, settings, options.Builder.Arches, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What was found, in one line: <c>osbuild 191 (/usr/bin/osbuild); image-builder 45</c>.</summary>
    public static string Describe(BuilderAdvertisement advertisement) =>
        $"osbuild {advertisement.OsbuildVersion} ({advertisement.OsbuildPath}); {advertisement.Generator}"
        + (advertisement.GeneratorVersion is { } version ? " " + version : "");
}
