namespace KojiComposer.Config;

/// <summary>What a process does; <c>[service] roles</c> lists them.</summary>
public enum ServiceRole
{
    /// <summary><c>"scheduler"</c>: compose init and finalize, the reconciler, the web API, pages and metrics.</summary>
    Scheduler,

    /// <summary><c>"builder"</c>: image builds with osbuild for <c>[builder] arches</c>.</summary>
    Builder,

    /// <summary><c>"hub-bridge"</c>: the Koji side — takes <c>osbuildImage</c> tasks as the builder host and reports
    /// their results.</summary>
    HubBridge,
}
