namespace KojiComposer.HubBridge.Transport;

/// <summary>
/// What a call does to the hub, which decides how it may be retried (<see cref="KojiRetryPolicy"/>).
/// </summary>
public enum KojiCallKind
{
    /// <summary>Reads nothing the hub stores a call number for: repeating it is harmless.</summary>
    Read,

    /// <summary>
    /// Commits a database write (CGInitBuild, CGImport, host.closeTask, host.subtask, tagBuild...). Re-sent only with
    /// the same call number, so the hub itself refuses a second execution with RetryError 1009; after 1009 the
    /// call's own check decides what happened (koji-wire.md §5).
    /// </summary>
    Write,

    /// <summary>
    /// A write the hub re-executes when the call number repeats (its retry whitelist: host.updateHost,
    /// host.taskWait, host.taskUnwait, host.taskSetWait, ...), so it can be repeated like a read.
    /// </summary>
    RepeatableWrite,

    /// <summary>One rawUpload chunk: repeating it at the same offset with overwrite set is idempotent.</summary>
    Upload,
}
