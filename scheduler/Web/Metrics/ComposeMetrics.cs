using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using Prometheus;

namespace KojiComposer.Scheduler.Web.Metrics;

/// <summary>
/// The scheduler's Prometheus metrics, in a registry of its own per app instance (several apps run in one test
/// process). Names are osbuild-composer's where the meaning is the same (<c>internal/prometheus</c>: namespace
/// <c>image_builder</c>, job metrics under subsystem <c>worker</c>, API metrics under <c>composer</c>), so its
/// dashboards and alerts read ours; composer's <c>tenant</c> label is left out (no tenants here). Our own start
/// with <c>kojicomposer_</c>. The engine reports steps to it as its <see cref="IComposeObserver"/>
/// (<see cref="WebHosting.AddComposeWeb"/> registers it so); the gauges are refreshed from
/// <see cref="IComposeStore.CountAsync"/> on each scrape.
/// </summary>
public sealed class ComposeMetrics : IComposeObserver
{
    /// <summary>Job type label of the reservation step (composer's job type name).</summary>
    public const string InitType = "koji-init";

    /// <summary>Job type label of an image build.</summary>
    public const string ImageType = "osbuild";

    /// <summary>Job type label of the import step.</summary>
    public const string FinalizeType = "koji-finalize";

    // Seconds, 0.1 s doubling to about 14.5 h: from a quick init to a long image build.
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(0.1, 2, 20);

    private readonly Counter _totalJobs;
    private readonly Histogram _jobDuration;
    private readonly Histogram _jobWait;
    private readonly Gauge _pendingJobs;
    private readonly Gauge _runningJobs;
    private readonly Counter _totalRequests;
    private readonly Counter _composeRequests;
    private readonly Counter _finishedComposes;
    private readonly Gauge _composes;
    private readonly Gauge _images;

    /// <summary>Creates the metrics in a new registry (<see cref="Registry"/>).</summary>
    public ComposeMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _totalJobs = factory.CreateCounter("image_builder_worker_total_jobs", "Finished compose steps (jobs) by type, status (2xx success, 4xx user error, 5xx internal error) and arch.", "type", "status", "arch");
        _jobDuration = factory.CreateHistogram("image_builder_worker_job_duration_seconds", "Time a step ran, from its start to its end.", new HistogramConfiguration { LabelNames = ["type", "status", "arch"], Buckets = DurationBuckets });
        _jobWait = factory.CreateHistogram("image_builder_worker_job_wait_duration_seconds", "Time a step waited in its queue before it started.", new HistogramConfiguration { LabelNames = ["type", "arch"], Buckets = DurationBuckets });
        _pendingJobs = factory.CreateGauge("image_builder_worker_pending_jobs", "Steps waiting to run (osbuild: pending images; koji-init: composes not yet reserved).", "type", "arch");
        _runningJobs = factory.CreateGauge("image_builder_worker_running_jobs", "Steps running (osbuild: images building or uploading; koji-finalize: composes finalizing).", "type", "arch");
        _totalRequests = factory.CreateCounter("image_builder_composer_total_requests", "HTTP requests to the compose API.");
        _composeRequests = factory.CreateCounter("image_builder_composer_total_compose_requests", "POST /compose requests.");
        _finishedComposes = factory.CreateCounter("kojicomposer_finished_composes_total", "Composes that reached a final state, by state.", "state");
        _composes = factory.CreateGauge("kojicomposer_composes", "Stored composes by state.", "state");
        _images = factory.CreateGauge("kojicomposer_images", "Stored images by state and arch.", "state", "arch");
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>A step started after waiting <paramref name="queuedFor"/> in its queue.</summary>
    /// <param name="kind">Which step.</param>
    /// <param name="arch">The image's architecture; null for init and finalize.</param>
    /// <param name="queuedFor">Time from enqueue to start.</param>
    public void StepStarted(StepKind kind, string? arch, TimeSpan queuedFor) =>
        _jobWait.WithLabels(TypeLabel(kind), arch ?? "").Observe(Math.Max(0, queuedFor.TotalSeconds));

    /// <summary>A step ended after running <paramref name="duration"/> with <paramref name="outcome"/>
    /// (<c>success</c>, <c>failure</c> or <c>canceled</c>). A canceled step is not counted (composer does not count
    /// canceled jobs either); the compose's end is, by <see cref="ComposeFinished"/>.</summary>
    public void StepFinished(StepKind kind, string? arch, TimeSpan duration, string outcome)
    {
        if (string.Equals(outcome, "canceled", StringComparison.Ordinal))
        {
            return;
        }

        var status = string.Equals(outcome, "success", StringComparison.Ordinal) ? "2xx" : "5xx";
        Observe(kind, arch, duration, status);
    }

    /// <summary>Like <see cref="StepFinished(StepKind, string?, TimeSpan, string)"/>, with the error that ended the
    /// step (null for success), so that user errors count as composer's <c>4xx</c>.</summary>
    public void StepFailed(StepKind kind, string? arch, TimeSpan duration, JobError? error) => Observe(kind, arch, duration, StatusLabel(error));

    private void Observe(StepKind kind, string? arch, TimeSpan duration, string status)
    {
        _totalJobs.WithLabels(TypeLabel(kind), status, arch ?? "").Inc();
        _jobDuration.WithLabels(TypeLabel(kind), status, arch ?? "").Observe(Math.Max(0, duration.TotalSeconds));
    }

    /// <summary>A compose reached <paramref name="state"/> (success, failure or canceled).</summary>
    public void ComposeFinished(ComposeState state) => _finishedComposes.WithLabels(state.ToWire()).Inc();

    /// <summary>Counts a <c>POST /compose</c>.</summary>
    public void ComposeRequested() => _composeRequests.Inc();

    /// <summary>Counts an API request.</summary>
    public void ApiRequest() => _totalRequests.Inc();

    /// <summary>Sets the gauges from the store's counts (every state and known arch, zeros included).</summary>
    public void Update(StoreCounts counts)
    {
        foreach (var state in Enum.GetValues<ComposeState>())
        {
            _composes.WithLabels(state.ToWire()).Set(counts.Composes.GetValueOrDefault(state));
        }

        var arches = counts.Images.Keys.Select(k => k.Arch).Distinct(StringComparer.Ordinal).ToList();
        foreach (var arch in arches)
        {
            foreach (var state in Enum.GetValues<ImageState>())
            {
                _images.WithLabels(state.ToWire(), arch).Set(counts.Images.GetValueOrDefault((state, arch)));
            }

            _pendingJobs.WithLabels(ImageType, arch).Set(counts.Images.GetValueOrDefault((ImageState.Pending, arch)));
            _runningJobs.WithLabels(ImageType, arch).Set(
                counts.Images.GetValueOrDefault((ImageState.Building, arch)) + counts.Images.GetValueOrDefault((ImageState.Uploading, arch)));
        }

        _pendingJobs.WithLabels(InitType, "").Set(counts.Composes.GetValueOrDefault(ComposeState.Pending));
        _runningJobs.WithLabels(FinalizeType, "").Set(counts.Composes.GetValueOrDefault(ComposeState.Finalizing));
    }

    /// <summary>Composer's job type name of a step.</summary>
    public static string TypeLabel(StepKind kind) => kind switch
    {
        StepKind.Init => InitType,
        StepKind.Image => ImageType,
        _ => FinalizeType,
    };

    /// <summary>Composer's status classes: <c>2xx</c> success, <c>4xx</c> an error in what the user asked for (bad
    /// target configuration, depsolve), <c>5xx</c> anything else.</summary>
    public static string StatusLabel(JobError? error) => error switch
    {
        null => "2xx",
        { Id: JobErrorCodes.InvalidTargetConfig or 3 or 4 or 20 or 21 or 39 } => "4xx",
        _ => "5xx",
    };
}
