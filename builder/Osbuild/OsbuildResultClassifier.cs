using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Manifests;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Osbuild;

/// <summary>
/// Decides how an osbuild run ended from its exit code, stdout and stray stderr (osbuild-run.md §4, composer's
/// worker rules): a non-zero exit code is fine when stdout is a result document, since that is how build failures
/// are reported; empty stdout is an infrastructure failure (a host-side crash); anything else on stdout is an
/// undecodable result. Every error is job error 10 (BuildJob) and its details say what failed.
/// </summary>
internal static partial class OsbuildResultClassifier
{
    /// <summary>osbuild's reason text for build failures (composer's).</summary>
    public const string BuildFailed = "osbuild build failed";

    /// <summary>Empty stdout.</summary>
    public const string NoOutput = "osbuild did not return any output";

    /// <summary>stdout is not a result document.</summary>
    public const string Undecodable = "error decoding osbuild output";

    private const string ValidationErrorType = "https://osbuild.org/validation-error";
    private const int DetailsTextLimit = 16 * 1024;

    /// <summary>The result of a run that exited with <paramref name="exitCode"/>.</summary>
    public static OsbuildRunResult Classify(int exitCode, string stdout, string infrastructureLog)
    {
        var text = stdout.Trim();
        if (text.Length == 0)
        {
            return Failed(exitCode, null, infrastructureLog, OsbuildFailure.Infrastructure,
                new JobError(JobErrorCodes.BuildJob, NoOutput, ExitSummary(exitCode, "printed nothing on stdout", infrastructureLog)));
        }

        JsonObject? document;
        try
        {
            document = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            document = null;
        }

        if (document is null)
        {
            // rc 2 with plain text is osbuild refusing the manifest ("Unsupported manifest format").
            return exitCode == 2
                ? Failed(exitCode, null, infrastructureLog, OsbuildFailure.InvalidManifest,
                    new JobError(JobErrorCodes.BuildJob, BuildFailed, $"osbuild rejected the manifest: {Bounded(text)}"))
                : Failed(exitCode, null, infrastructureLog, OsbuildFailure.Infrastructure,
                    new JobError(JobErrorCodes.BuildJob, Undecodable, ExitSummary(exitCode, $"printed instead of a result document: {Bounded(text)}", infrastructureLog)));
        }

        if (OsbuildResultV1.IsV1(document))
        {
            document = OsbuildResultV1.ToV2(document);
        }

        return FromDocument(exitCode, document, infrastructureLog);
    }

    private static OsbuildRunResult FromDocument(int exitCode, JsonObject document, string infrastructureLog)
    {
        if (IsValidationError(document, out var errors))
        {
            return Failed(exitCode, document, infrastructureLog, OsbuildFailure.InvalidManifest,
                new JobError(JobErrorCodes.BuildJob, BuildFailed, errors));
        }

        var errorType = String(document["error"].Field("type"));
        if (string.Equals(errorType, "org.osbuild.error.stage", StringComparison.Ordinal))
        {
            return Failed(exitCode, document, infrastructureLog, OsbuildFailure.Stage,
                new JobError(JobErrorCodes.BuildJob, BuildFailed, StageDetails(document)));
        }

        if (string.Equals(errorType, "org.osbuild.error.source", StringComparison.Ordinal))
        {
            return Failed(exitCode, document, infrastructureLog, OsbuildFailure.Source,
                new JobError(JobErrorCodes.BuildJob, BuildFailed, SourceDetails(document)));
        }

        var success = document["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && ok;
        if (success && exitCode == 0 && errorType is null)
        {
            return new OsbuildRunResult
            {
                ExitCode = exitCode, Document = document, Failure = OsbuildFailure.None, InfrastructureLog = Secrets.MaskUrlCredentials(infrastructureLog),
            };
        }

        // An error of a type we do not know, success false without an error, or an exit code that contradicts a
        // successful result (osbuild killed after printing it): still a failure, named as well as we can.
        if (FailedStage(document) is not null)
        {
            return Failed(exitCode, document, infrastructureLog, OsbuildFailure.Stage,
                new JobError(JobErrorCodes.BuildJob, BuildFailed, StageDetails(document)));
        }

        var what = errorType is not null ? $"reported error {errorType}"
            : success ? "exited unsuccessfully although its result says success"
            : "reported success: false without naming a failed stage";
        var details = new JsonObject { ["message"] = ExitSummary(exitCode, what, infrastructureLog) };
        if (document["error"] is { } error)
        {
            details["error"] = error.DeepClone();
        }

        return Failed(exitCode, document, infrastructureLog, OsbuildFailure.Infrastructure, new JobError(JobErrorCodes.BuildJob, BuildFailed, details));
    }

    // Stage and source output, stderr and undecodable stdout quote URLs, and repository or proxy URLs may carry
    // credentials (https://user:pass@host): the error is shown to users and logged, so they are masked.
    private static OsbuildRunResult Failed(int exitCode, JsonObject? document, string infrastructureLog, OsbuildFailure failure, JobError error) =>
        new()
        {
            ExitCode = exitCode, Document = document, Failure = failure, InfrastructureLog = Secrets.MaskUrlCredentials(infrastructureLog),
            Error = error with { Reason = Secrets.MaskUrlCredentials(error.Reason), Details = Secrets.MaskUrlCredentials(error.Details) },
        };

    /// <summary>"osbuild exited with code N (killed by signal S) and &lt;what&gt;", then the stderr tail.</summary>
    private static string ExitSummary(int exitCode, string what, string infrastructureLog)
    {
        // .NET reports a child killed by signal S as exit code 128 + S, like a shell.
        var exit = exitCode > 128 && exitCode < 128 + 65 ? $"was killed by signal {exitCode - 128} (exit code {exitCode})" : $"exited with code {exitCode}";
        var tail = infrastructureLog.Trim();
        return tail.Length == 0
            ? $"osbuild {exit} and {what}; it printed nothing else on stderr"
            : $"osbuild {exit} and {what}; its stderr ends with:\n{Tail(tail)}";
    }

    private static string Bounded(string text) => text.Length <= DetailsTextLimit ? text : text[..DetailsTextLimit] + "[...]";

    private static string Tail(string text) => text.Length <= DetailsTextLimit ? text : "[...]" + text[^DetailsTextLimit..];

    private static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
