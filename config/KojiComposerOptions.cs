using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The whole service configuration (<c>kojicomposer.toml</c>), validated, with defaults applied.</summary>
public sealed record KojiComposerOptions
{
    /// <summary>The file (or source name) the options were read from, for messages about them.</summary>
    public string Source { get; init; } = "";

    /// <summary>The <c>[service]</c> section: roles, server name, shutdown grace.</summary>
    public ServiceOptions Service { get; init; } = new();

    /// <summary>The <c>[hub]</c> section: the Koji hub and the identities that log in to it. Required when the
    /// roles include <c>scheduler</c> or <c>hub-bridge</c>; null when it is absent and not required (a builder-only
    /// process).</summary>
    public HubOptions? Hub { get; init; }

    /// <summary>The <c>[kerberos]</c> section: process-wide Kerberos settings.</summary>
    public KerberosOptions Kerberos { get; init; } = new();

    /// <summary>The <c>[store]</c> section: embedded SQLite or PostgreSQL.</summary>
    public StoreOptions Store { get; init; } = new();

    /// <summary>The <c>[scheduler]</c> section: leases, retries, reconciling, polling.</summary>
    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>The <c>[builder]</c> section: architectures, concurrent builds, osbuild and the manifest generator.</summary>
    public BuilderOptions Builder { get; init; } = new();

    /// <summary>The <c>[web]</c> section: listen addresses, links, access.</summary>
    public WebOptions Web { get; init; } = new();

    /// <summary>The hub options, for code that talks to the hub.</summary>
    /// <exception cref="ConfigurationException">The file has no <c>[hub]</c> section (allowed for a builder-only
    /// process).</exception>
    public HubOptions RequireHub() => Hub ?? throw new ConfigurationException(
        [new ConfigurationError(Source, null, "hub.url", "required key is missing (this needs the Koji hub; a builder-only configuration may leave [hub] out, but not here)")]);

    internal static KojiComposerOptions Bind(ConfigSection root)
    {
        // One line per top-level section. A new section is its options record (with a Bind like these) plus a
        // line here; the keys it reads become known, everything else in the file is reported as unknown.
        var serviceSection = root.Section("service");
        var service = ServiceOptions.Bind(serviceSection);
        var hubSection = root.Section("hub");
        var needsHub = service.Runs(ServiceRole.Scheduler) || service.Runs(ServiceRole.HubBridge);
        var options = new KojiComposerOptions
        {
            Service = service,
            // A builder-only process needs [hub] only for its Koji uploads, as the content generator.
            Hub = needsHub || hubSection.IsPresent ? HubOptions.Bind(hubSection, usesHostIdentity: needsHub) : null,
            Kerberos = KerberosOptions.Bind(root.Section("kerberos")),
            Store = StoreOptions.Bind(root.Section("store")),
            Scheduler = SchedulerOptions.Bind(root.Section("scheduler")),
            Builder = BuilderOptions.Bind(root.Section("builder")),
            Web = WebOptions.Bind(root.Section("web")),
        };
        CheckRoles(serviceSection, root.Section("builder"), options);
        return options;
    }

    private static void CheckRoles(ConfigSection serviceSection, ConfigSection builderSection, KojiComposerOptions options)
    {
        if (options.Service.Runs(ServiceRole.Builder) && options.Builder.Arches.Count == 0)
        {
            builderSection.Error(
                "arches",
                builderSection.Has("arches")
                    ? "must name at least one architecture when service.roles includes \"builder\""
                    : $"required when service.roles includes \"builder\": this machine's architecture ({System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}) has no Koji name");
        }

        // The embedded store is a SQLite file of one process; nothing on another machine can reach it.
        if (options.Store.Kind == StoreKind.Embedded && !options.Service.Runs(ServiceRole.Scheduler))
        {
            serviceSection.Error(
                "roles",
                "must include \"scheduler\" with store.kind = \"embedded\" (one process's SQLite file); "
                + "a builder or hub-bridge on its own needs store.kind = \"postgresql\"");
        }
    }
}
