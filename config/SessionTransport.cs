namespace KojiComposer.Config;

/// <summary>How a logged-in session's id, key and call number travel to the hub (koji-wire.md §4.1).</summary>
public enum SessionTransport
{
    /// <summary><c>auto</c>: headers when the hub's <c>sslLogin</c> reply says <c>header-auth: true</c>, else the
    /// URL query form.</summary>
    Auto,

    /// <summary><c>header</c>: always <c>Koji-Session-Id</c>, <c>Koji-Session-Key</c>, <c>Koji-Session-Callnum</c>
    /// headers.</summary>
    Header,

    /// <summary><c>query</c>: always <c>?session-id=…&amp;session-key=…&amp;callnum=…</c> (hubs before header
    /// support).</summary>
    Query,
}
