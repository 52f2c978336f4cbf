using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

// Event ids 5380–5389: the container target. Arguments logged are paths and references only: credentials go to
// skopeo in a file, never on its command line, and never here.
internal static partial class Log
{
    [LoggerMessage(5380, LogLevel.Information, "{Image}: pushing {Artifact} to {Reference}")]
    public static partial void ContainerPushing(ILogger logger, string image, string artifact, string reference);

    [LoggerMessage(5381, LogLevel.Information, "{Image}: pushed {Reference}, manifest {Digest} (the registry serves the same)")]
    public static partial void ContainerPushed(ILogger logger, string image, string reference, string digest);

    [LoggerMessage(5382, LogLevel.Debug, "skopeo {Pid} started: {Arguments}")]
    public static partial void SkopeoStarted(ILogger logger, int pid, string arguments);

    [LoggerMessage(5383, LogLevel.Debug, "skopeo {Pid} ended with exit code {ExitCode}")]
    public static partial void SkopeoEnded(ILogger logger, int pid, int exitCode);

    [LoggerMessage(5384, LogLevel.Warning, "skopeo {Pid} was cancelled: killing its process tree")]
    public static partial void SkopeoKilling(ILogger logger, int pid);

    [LoggerMessage(5385, LogLevel.Warning, "{Image}: skopeo {Command} {Reference} failed: {Reason}")]
    public static partial void ContainerSkopeoFailed(ILogger logger, string image, string command, string reference, string reason);

    [LoggerMessage(5386, LogLevel.Warning, "could not remove the container target's scratch directory {Path}: {Reason}")]
    public static partial void ContainerCleanupFailed(ILogger logger, string path, string reason);
}
