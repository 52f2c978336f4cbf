using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

/// <summary>Log events of the builder, declared once per facet. Event ids: 5000-5099 osbuild runs (this file),
/// 5100-5149 manifests, 5150-5199 uploads, 5200-5299 worker. Never an environment value: osbuild's environment may
/// carry proxy credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "osbuild {Pid} started: export {Export}, store {Store}, output {OutputDirectory}, extra environment {EnvironmentKeys}")]
    public static partial void OsbuildStarted(ILogger logger, int pid, string export, string store, string outputDirectory, string environmentKeys);

    [LoggerMessage(5001, LogLevel.Information, "osbuild {Pid} ended with code {ExitCode}: {Outcome}")]
    public static partial void OsbuildEnded(ILogger logger, int pid, int exitCode, string outcome);

    [LoggerMessage(5002, LogLevel.Warning, "osbuild {Pid} cancelled: stopping its process group ({Descendants} processes below it)")]
    public static partial void OsbuildCancelling(ILogger logger, int pid, int descendants);

    [LoggerMessage(5003, LogLevel.Warning, "osbuild {Pid}: processes still running {GraceSeconds:0.#} s after SIGTERM; sending SIGKILL")]
    public static partial void OsbuildKilling(ILogger logger, int pid, double graceSeconds);

    [LoggerMessage(5004, LogLevel.Warning, "osbuild {Pid} ended but left processes of its group running; killed them")]
    public static partial void OsbuildLeftovers(ILogger logger, int pid);

    [LoggerMessage(5005, LogLevel.Error, "osbuild {Pid}: processes {Survivors} survived SIGKILL")]
    public static partial void OsbuildSurvivors(ILogger logger, int pid, string survivors);

    [LoggerMessage(5006, LogLevel.Debug, "osbuild {Pid}: {Message}")]
    public static partial void OsbuildMessage(ILogger logger, int pid, string message);

    [LoggerMessage(5007, LogLevel.Warning, "osbuild {Pid} failed ({Failure}): {Error}")]
    public static partial void OsbuildFailed(ILogger logger, int pid, string failure, string error);
}
