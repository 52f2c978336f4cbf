using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Runs the real (or a stand-in) osbuild executable named by <see cref="BuilderSettings.Osbuild"/>.</summary>
public sealed class OsbuildRunner(BuilderSettings settings, ILogger<OsbuildRunner> logger) : IOsbuildRunner
{
    /// <inheritdoc />
    public Task<string> VersionAsync(CancellationToken cancellationToken) => throw new NotImplementedException($"{settings.Osbuild} {logger}");

    /// <inheritdoc />
    public Task<OsbuildRunResult> RunAsync(OsbuildRunRequest request, IProgress<ImageProgress>? progress, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
