using KojiComposer.Builder.Catalogue;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Worker;

/// <summary>
/// Wires the builder into a host: the image-type catalogue, osbuild, the manifest generator the settings name, the
/// Koji uploader and the <see cref="IImageBuildStep"/> the scheduler's image jobs run. Register it before the
/// scheduler, whose stand-in step (every image fails with InvalidConfig) is only a fallback.
/// </summary>
public static class BuilderHosting
{
    /// <summary>Registers the builder's services.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="settings">How this worker builds.</param>
    /// <param name="hub">The Koji hub images are uploaded to, or null on a worker without <c>[hub]</c> (every Koji
    /// upload then fails with InvalidConfig, saying so).</param>
    /// <param name="contentGenerator">The content-generator identity the uploads log in as, or null.</param>
    public static IServiceCollection AddImageBuilder(
        this IServiceCollection services, BuilderSettings settings, KojiHubOptions? hub, KerberosIdentity? contentGenerator)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        // Loaded when the first build needs it; a bad catalogue file fails that build with its position named.
        services.AddSingleton(_ => ImageTypeCatalogue.Load(settings.CatalogueFile));
        services.AddSingleton<IOsbuildRunner>(provider => new OsbuildRunner(settings, provider.GetRequiredService<ILogger<OsbuildRunner>>()));
        services.AddSingleton<IManifestGenerator>(provider => settings.Generator.Kind switch
        {
            ManifestGeneratorKind.External => new ExternalManifestGenerator(settings.Generator, provider.GetRequiredService<ILogger<ExternalManifestGenerator>>()),
            _ => new ImageBuilderManifestGenerator(settings.Generator, provider.GetRequiredService<ILogger<ImageBuilderManifestGenerator>>()),
        });
        services.AddSingleton<IKojiArtifactUploader>(provider =>
            new KojiArtifactUploader(hub, contentGenerator, provider.GetRequiredService<ILogger<KojiArtifactUploader>>()));
        services.AddSingleton(provider => new UploadTargetSet(settings.Targets, provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IImageBuildStep, OsbuildImageBuildStep>();
        return services;
    }
}
