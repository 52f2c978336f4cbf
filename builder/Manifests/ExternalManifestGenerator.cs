using System.Diagnostics;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>Makes manifests with a site's own command: request JSON on stdin, manifest JSON on stdout
/// (docs/manifest-generators.md).</summary>
public sealed class ExternalManifestGenerator(ManifestGeneratorSettings settings, ILogger<ExternalManifestGenerator> logger) : IManifestGenerator
{
    /// <inheritdoc />
    public string Name => "external";

    /// <inheritdoc />
    /// <remarks><c>&lt;command&gt; [arguments] --version</c>; its first stdout line, or null when it exits non-zero or
    /// prints nothing (a version is optional for site commands).</remarks>
    public async Task<string?> VersionAsync(CancellationToken cancellationToken)
    {
        GeneratorOutput output;
        try
        {
            output = await GeneratorProcess.RunAsync(settings.Command, [.. settings.Arguments, "--version"], null, TimeSpan.FromMinutes(1), null, logger,
                cancellationToken).ConfigureAwait(false);
        }
        catch (ManifestGeneratorUnavailableException e)
        {
            throw new ManifestGeneratorUnavailableException(
                $"the external manifest generator {e.Message}; check the builder's manifest generator command", e);
        }
        catch (GeneratorTimeoutException)
        {
            return null;
        }

        var first = output.ExitCode == 0
            ? output.Stdout.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
            : null;
        if (first is not null)
        {
            Log.GeneratorVersion(logger, Name, first);
        }

        return first;
    }

    /// <inheritdoc />
    public async Task<GeneratedManifest> GenerateAsync(ManifestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var secrets = ExternalRequest.SecretsOf(request);
        Log.Generating(logger, request.Description, Name, request.ImageType.GeneratorType, request.Distribution, request.Arch);
        try
        {
            Directory.CreateDirectory(request.WorkDirectory);
            var output = await RunAsync(request, secrets, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                throw ManifestErrors.Generation($"the external manifest generator failed (exit code {output.ExitCode})",
                    new JsonObject { ["exit_code"] = output.ExitCode, ["stderr"] = ManifestOutput.Tail(output.Stderr, secrets) });
            }

            var result = ExternalResult.Read(output, request, secrets);
            Log.Generated(logger, request.Description, result.Manifest.Length, result.Sboms.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (ComposeStepException e)
        {
            Log.GenerationFailed(logger, request.Description, e.Error.Id, e.Error.Reason);
            throw;
        }
    }

    private async Task<GeneratorOutput> RunAsync(ManifestRequest request, Secrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await GeneratorProcess.RunAsync(settings.Command, settings.Arguments, ExternalRequest.Json(request).ToJsonString(), settings.Timeout,
                request.WorkDirectory, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (ManifestGeneratorUnavailableException e)
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidConfig,
                $"the external manifest generator {e.Message}"), innerException: e);
        }
        catch (GeneratorTimeoutException e)
        {
            // A site command may do anything, not only depsolve: a plain generation error.
            throw ManifestErrors.Generation($"the external manifest generator {e.Message}",
                new JsonObject { ["stderr"] = ManifestOutput.Tail(e.Stderr, secrets) });
        }
    }
}
