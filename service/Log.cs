using Microsoft.Extensions.Logging;

namespace KojiComposer.Service;

/// <summary>Every log event of the service host. Event ids 1000-1099: start and stop. Never log a connection string
/// (only its host and database), a password hash or a keytab's contents.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Starting kojicomposerd {Version} as {ServerName}: roles {Roles}; store {Store}; config {ConfigFile}")]
    public static partial void Starting(ILogger logger, string version, string serverName, string roles, string store, string configFile);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Listening on {Urls}")]
    public static partial void Listening(ILogger logger, string urls);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "No web listener: the scheduler role does not run in this process")]
    public static partial void NoListener(ILogger logger);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Building for {Arches} with {Workers} worker(s)")]
    public static partial void Building(ILogger logger, string arches, int workers);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "Stopping: running steps have {GraceSeconds} s to finish before they are handed back")]
    public static partial void Stopping(ILogger logger, double graceSeconds);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Builder prerequisites met: osbuild {OsbuildVersion} ({OsbuildPath}); {Generator}")]
    public static partial void BuilderReady(ILogger logger, string osbuildVersion, string osbuildPath, string generator);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Critical, Message = "Not starting: this machine cannot build: {Problem}")]
    public static partial void BuilderPrerequisitesFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "web.public_url is not set: Koji task results will name {Url} as composer.server; set public_url to the address users reach")]
    public static partial void PublicUrlGuessed(ILogger logger, Uri url);
}
