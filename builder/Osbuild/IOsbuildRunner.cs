using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Osbuild;

/// <summary>
/// Runs osbuild for one image (osbuild-run.md §2–§5): <c>osbuild --store S --output-directory O
/// [--cache-max-size N] [--checkpoint build] --export E --json --monitor=JSONSeqMonitor --monitor-fd=2 -</c>, manifest
/// on stdin, in a process group of its own so that cancelling kills osbuild and every child it started.
/// </summary>
public interface IOsbuildRunner
{
    /// <summary>osbuild's version number (<c>osbuild --version</c> without the <c>osbuild </c> prefix).</summary>
    /// <exception cref="OsbuildUnavailableException">osbuild is missing, not executable, or prints no version.</exception>
    Task<string> VersionAsync(CancellationToken cancellationToken);

    /// <summary>Runs the build; reports live progress through <paramref name="progress"/>.</summary>
    /// <returns>How it ended; a failed build is a result, not an exception.</returns>
    /// <exception cref="OperationCanceledException">Cancelled: the process group is gone when this is thrown.</exception>
    /// <exception cref="OsbuildUnavailableException">osbuild could not be started at all.</exception>
    Task<OsbuildRunResult> RunAsync(OsbuildRunRequest request, IProgress<ImageProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>One osbuild run.</summary>
public sealed record OsbuildRunRequest
{
    /// <summary>Manifest v2 JSON text, written to osbuild's stdin.</summary>
    public required string Manifest { get; init; }

    /// <summary>The pipeline to export.</summary>
    public required string Export { get; init; }

    /// <summary><c>--output-directory</c>; the artifact lands in <c>&lt;dir&gt;/&lt;export&gt;/</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary><c>--store</c>.</summary>
    public required string StoreDirectory { get; init; }

    /// <summary><c>--cache-max-size</c> bytes; null for <c>unlimited</c>.</summary>
    public long? CacheMaxBytes { get; init; }

    /// <summary>Add <c>--checkpoint build</c>.</summary>
    public bool CheckpointBuild { get; init; }

    /// <summary>Extra environment (added to the worker's own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>How an osbuild run ended (osbuild-run.md §4).</summary>
public sealed record OsbuildRunResult
{
    /// <summary>osbuild's exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The <c>--json</c> result document (an older osbuild's v1 result converted to the v2 shape), or null
    /// when stdout was empty or not JSON.</summary>
    public JsonObject? Document { get; init; }

    /// <summary>Null on success; otherwise error 10 (BuildJob) with the failing stage and its output, the
    /// validation errors, or the stderr tail (empty stdout: infrastructure failure).</summary>
    public JobError? Error { get; init; }

    /// <summary>What kind of failure, for logs, metrics and retry decisions.</summary>
    public OsbuildFailure Failure { get; init; }

    /// <summary>stderr text that was not a monitor record (tracebacks of host-side crashes); empty when none.</summary>
    public string InfrastructureLog { get; init; } = "";

    /// <summary>True when osbuild exited 0 with a successful result.</summary>
    public bool Success => Error is null;
}

/// <summary>See <see cref="OsbuildRunResult.Failure"/>.</summary>
public enum OsbuildFailure
{
    /// <summary>It worked.</summary>
    None,

    /// <summary>A stage failed (rc 1, error document <c>org.osbuild.error.stage</c>).</summary>
    Stage,

    /// <summary>A source (download) failed (rc 1, <c>org.osbuild.error.source</c>).</summary>
    Source,

    /// <summary>The manifest is invalid (rc 2: schema validation or unknown format).</summary>
    InvalidManifest,

    /// <summary>osbuild printed nothing on stdout (host-side crash), or something that is not a result: the
    /// machine, not the image, is at fault.</summary>
    Infrastructure,
}

/// <summary>osbuild cannot run on this machine.</summary>
public sealed class OsbuildUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
