using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Worker;

/// <summary>
/// An <see cref="IOsbuildRunner"/> that writes a real file where osbuild would export it and returns a small result
/// document with RPM metadata for the <c>build</c> and <c>os</c> pipelines; or fails, exports nothing, or waits to
/// be cancelled.
/// </summary>
internal sealed class FakeOsbuildRunner : IOsbuildRunner
{
    public int VersionCalls { get; private set; }

    public List<OsbuildRunRequest> Runs { get; } = [];

    /// <summary>Writes the artifact (default: a small qcow2-named file at the catalogue's path).</summary>
    public Func<OsbuildRunRequest, CancellationToken, Task> Export { get; set; } = (request, _) =>
        WriteAsync(Path.Combine(request.OutputDirectory, request.Export, "disk.qcow2"), "qcow2 bytes\n"u8.ToArray());

    /// <summary>A failure to return instead of building, or null.</summary>
    public OsbuildRunResult? Failure { get; set; }

    /// <summary>Block in the run until cancelled (signals <see cref="Started"/> first).</summary>
    public bool WaitForCancel { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        VersionCalls++;
        return Task.FromResult("191");
    }

    public async Task<OsbuildRunResult> RunAsync(OsbuildRunRequest request, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        Runs.Add(request);
        Started.TrySetResult();
        progress?.Report(new ImageProgress(1, 3, "pipeline: build", 0, 4));
        progress?.Report(new ImageProgress(2, 3, "pipeline: os", 3, 5));
        if (WaitForCancel)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Failure is not null)
        {
            return Failure;
        }

        await Export(request, cancellationToken);
        return new OsbuildRunResult { ExitCode = 0, Document = SuccessDocument() };
    }

    public static async Task WriteAsync(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
    }

    /// <summary>A result with one rpm stage in <c>build</c> and one in <c>os</c>.</summary>
    public static JsonObject SuccessDocument() => new()
    {
        ["type"] = "result",
        ["success"] = true,
        ["log"] = new JsonObject
        {
            ["build"] = new JsonArray(new JsonObject { ["id"] = "b1", ["type"] = "org.osbuild.rpm", ["output"] = "installed bash\n" }),
            ["os"] = new JsonArray(new JsonObject { ["id"] = "o1", ["type"] = "org.osbuild.rpm", ["output"] = "installed kernel\n" }),
        },
        ["metadata"] = new JsonObject
        {
            ["build"] = new JsonObject { ["org.osbuild.rpm"] = new JsonObject { ["packages"] = new JsonArray(Package("bash")) } },
            ["os"] = new JsonObject { ["org.osbuild.rpm"] = new JsonObject { ["packages"] = new JsonArray(Package("kernel")) } },
        },
    };

    /// <summary>What osbuild prints when a stage fails (osbuild-run.md §4).</summary>
    public static OsbuildRunResult StageFailure() => new()
    {
        ExitCode = 1,
        Failure = OsbuildFailure.Stage,
        Error = new JobError(JobErrorCodes.BuildJob, "osbuild build failed", JsonValue.Create("dnf: nothing provides kernel")),
        Document = new JsonObject
        {
            ["type"] = "error",
            ["success"] = false,
            ["error"] = new JsonObject { ["type"] = "org.osbuild.error.stage" },
            ["log"] = new JsonObject { ["os"] = new JsonArray(new JsonObject { ["type"] = "org.osbuild.rpm", ["output"] = "dnf: nothing provides kernel", ["success"] = false }) },
        },
    };

    private static JsonObject Package(string name) => new()
    {
        ["name"] = name,
        ["version"] = "1.0",
        ["release"] = "1.fc42",
        ["epoch"] = null,
        ["arch"] = "x86_64",
        ["sigmd5"] = "abc",
        ["siggpg"] = "gpg-" + name,
        ["sigpgp"] = null,
    };
}
