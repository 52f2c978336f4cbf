using KojiComposer.Builder;
using KojiComposer.Config;
using KojiComposer.Scheduler.Hosting;

namespace KojiComposer.Service.Hosting;

/// <summary>The validated configuration, as the scheduler's hosting settings (<c>scheduler/Hosting/</c>) and the
/// builder's settings. The config project knows nothing of either, so this is the one place they meet.</summary>
public static class OptionsMapping
{
    /// <summary><c>[store]</c> → <see cref="StoreSettings"/>.</summary>
    public static StoreSettings Store(KojiComposerOptions options) => new()
    {
        Kind = options.Store.Kind == Config.StoreKind.PostgreSql ? Scheduler.Hosting.StoreKind.Postgres : Scheduler.Hosting.StoreKind.Embedded,
        PostgresConnectionString = options.Store.ConnectionString,
        PostgresSchema = options.Store.Schema,
        HangfireSchema = options.Store.HangfireSchema,
        EmbeddedPath = options.Store.Path,
    };

    /// <summary><c>[scheduler]</c> and <c>service.shutdown_grace_seconds</c> → <see cref="EngineSettings"/>.</summary>
    public static EngineSettings Engine(KojiComposerOptions options)
    {
        var scheduler = options.Scheduler;
        return new EngineSettings
        {
            LeaseDuration = scheduler.Lease,
            LeaseRenewInterval = scheduler.LeaseRenew,
            MaxLostWorkers = scheduler.MaxLostWorkers,
            TransientRetries = scheduler.TransientRetries,
            RetryInitialDelay = scheduler.RetryInitialDelay,
            RetryMaxDelay = scheduler.RetryMaxDelay,
            ReconcileInterval = scheduler.ReconcileInterval,
            QueuePollInterval = scheduler.QueuePollInterval,
            InvisibilityTimeout = scheduler.InvisibilityTimeout,
            ShutdownGrace = options.Service.ShutdownGrace,
        };
    }

    /// <summary><c>[service] roles</c>, <c>server_name</c>, <c>[scheduler] workers</c> and <c>[builder]</c> →
    /// <see cref="RoleSettings"/>. Without the builder role no arch is built, whatever <c>builder.arches</c>
    /// says.</summary>
    public static RoleSettings Roles(KojiComposerOptions options) => new()
    {
        Scheduler = options.Service.Runs(ServiceRole.Scheduler),
        SchedulerWorkers = options.Scheduler.Workers,
        BuildArches = options.Service.Runs(ServiceRole.Builder) ? options.Builder.Arches : [],
        BuildWorkers = options.Builder.Workers,
        ServerName = options.Service.ServerName,
    };

    /// <summary><c>[web]</c> → <see cref="WebSettings"/>; Koji links fall back to <c>hub.weburl</c>.</summary>
    public static WebSettings Web(KojiComposerOptions options) => new()
    {
        Urls = options.Web.Listen,
        PublicUrl = options.Web.PublicUrl,
        KojiWebUrl = options.Web.KojiWebUrl ?? options.Hub?.WebUrl,
        AllowRemote = options.Web.AllowRemote,
        LocalRole = options.Web.LocalRole is { } local ? Role(local) : null,
        Users = [.. options.Web.Users.Select(u => new WebUser(u.Name, u.PasswordHash, Role(u.Role)))],
        NegotiatePrincipals = [.. options.Web.Negotiate.Select(n => new NegotiatePrincipal(n.Principal, Role(n.Role)))],
    };

    private static Scheduler.Hosting.WebRole Role(Config.WebRole role) =>
        role == Config.WebRole.Operator ? Scheduler.Hosting.WebRole.Operator : Scheduler.Hosting.WebRole.ReadOnly;

    /// <summary><c>[builder]</c> → <see cref="BuilderSettings"/>.</summary>
    public static BuilderSettings Builder(KojiComposerOptions options)
    {
        var builder = options.Builder;
        var generator = builder.Generator;
        return new BuilderSettings
        {
            Osbuild = builder.Osbuild,
            MinimumOsbuildVersion = builder.MinimumOsbuildVersion,
            StoreDirectory = builder.StoreDirectory,
            CacheMaxBytes = builder.CacheMaxBytes,
            CheckpointBuild = builder.CheckpointBuild,
            WorkDirectory = builder.WorkDirectory,
            OsbuildEnvironment = builder.Environment,
            CatalogueFile = builder.CatalogueFile,
            Targets = builder.Targets,
            Generator = new ManifestGeneratorSettings
            {
                Kind = generator.Kind == GeneratorKind.External ? ManifestGeneratorKind.External : ManifestGeneratorKind.ImageBuilder,
                Command = generator.Command,
                Arguments = generator.Arguments,
                Timeout = generator.Timeout,
                UseLibrepo = generator.UseLibrepo,
                WithSbom = generator.WithSbom,
                RpmmdCache = generator.RpmmdCache,
            },
        };
    }
}
