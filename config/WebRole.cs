namespace KojiComposer.Config;

/// <summary>What a user of the web front may do.</summary>
public enum WebRole
{
    /// <summary><c>"read-only"</c>: see composes, logs, the dashboard and metrics.</summary>
    ReadOnly,

    /// <summary><c>"operator"</c>: also submit, cancel and retry composes.</summary>
    Operator,
}
