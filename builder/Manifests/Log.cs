using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Log events of manifest generation, ids 5100-5149 (the builder's band for manifests). Blueprints, user passwords
/// and keys and repository credentials are never a field of any event: the blueprint file is the only place they go.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Information, "{Image}: making the manifest with {Generator} {GeneratorType} for {Distribution} {Arch}")]
    public static partial void Generating(ILogger logger, string image, string generator, string generatorType, string distribution, string arch);

    [LoggerMessage(5101, LogLevel.Information, "{Image}: manifest made ({Bytes} bytes, {Sboms} SBOMs) in {ElapsedMs} ms")]
    public static partial void Generated(ILogger logger, string image, int bytes, int sboms, long elapsedMs);

    [LoggerMessage(5102, LogLevel.Warning, "{Image}: manifest generation failed with error {ErrorId}: {Reason}")]
    public static partial void GenerationFailed(ILogger logger, string image, int errorId, string reason);

    [LoggerMessage(5103, LogLevel.Debug, "started {Command} as process {Pid}")]
    public static partial void GeneratorStarted(ILogger logger, string command, int pid);

    [LoggerMessage(5104, LogLevel.Warning, "killed {Command} (process {Pid}) and its children")]
    public static partial void GeneratorKilled(ILogger logger, string command, int pid);

    [LoggerMessage(5105, LogLevel.Information, "manifest generator {Generator} version {Version}")]
    public static partial void GeneratorVersion(ILogger logger, string generator, string version);

    [LoggerMessage(5106, LogLevel.Warning, "{Image}: SBOM {File} does not name an image or buildroot pipeline; not uploaded")]
    public static partial void SbomSkipped(ILogger logger, string image, string file);
}
