using KojiComposer.Builder.Manifests;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Worker;

/// <summary>An <see cref="IManifestGenerator"/> that returns a small v2 manifest whose pipelines match the
/// catalogue, and writes one SBOM into the build's work directory, as image-builder's <c>--with-sbom</c> does.</summary>
internal sealed class FakeManifestGenerator : IManifestGenerator
{
    public const string Manifest = """{"version":"2","pipelines":[{"name":"build"},{"name":"os"},{"name":"image"},{"name":"qcow2"}],"sources":{}}""";

    public string Name => "image-builder";

    /// <summary>The manifest it returns; <see cref="Manifest"/> unless a test sets another.</summary>
    public string ManifestText { get; set; } = Manifest;

    public List<ManifestRequest> Requests { get; } = [];

    /// <summary>Thrown instead of making a manifest, or null.</summary>
    public Exception? Failure { get; set; }

    public Task<string?> VersionAsync(CancellationToken cancellationToken) => Task.FromResult<string?>("41");

    public async Task<GeneratedManifest> GenerateAsync(ManifestRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (Failure is not null)
        {
            throw Failure;
        }

        var sbom = Path.Combine(request.WorkDirectory, "os.spdx.json");
        await File.WriteAllTextAsync(sbom, """{"spdxVersion":"SPDX-2.3"}""", cancellationToken);
        return new GeneratedManifest(ManifestText, new PipelineNames(["build"], ["os"]), [new GeneratedSbom(sbom, "image-os")]);
    }
}
