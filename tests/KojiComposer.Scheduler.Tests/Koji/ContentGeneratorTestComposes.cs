using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Tests.Koji;

/// <summary>Compose records and stored image results for the content-generator tests, built directly (no store).</summary>
internal static class ContentGeneratorTestComposes
{
    public static readonly DateTimeOffset Created = new(2026, 11, 26, 0, 30, 0, TimeSpan.Zero);

    public const string Name = "Fedora-Cloud";

    public const string Version = "42";

    /// <summary>A compose of <paramref name="hub"/> before its reservation, with the given images.</summary>
    public static Compose Pending(string? hub, string release = "1", bool releaseGenerated = false, long? taskId = null, params ComposeImage[] images) => new()
    {
        Id = Guid.NewGuid(),
        Name = Name,
        Version = Version,
        Release = release,
        ReleaseGenerated = releaseGenerated,
        Distribution = "fedora-42",
        KojiTaskId = taskId,
        KojiServer = hub,
        Seed = 7,
        State = ComposeState.Pending,
        InitState = StepState.Running,
        FinalizeState = StepState.Pending,
        Images = images.Length > 0 ? images : [Image(0, "x86_64", null)],
        CreatedAt = Created,
        UpdatedAt = Created,
    };

    /// <summary>The same compose reserved and every image built with <paramref name="results"/> (in image order).</summary>
    public static Compose Built(Compose compose, Reservation reservation, params ImageBuildResult[] results) => compose with
    {
        State = ComposeState.Finalizing,
        InitState = StepState.Success,
        Reservation = reservation,
        Release = reservation.Release ?? compose.Release,
        FinalizeState = StepState.Running,
        Images = results.Select((r, i) => Image(i, r.Arch, r)).ToList(),
    };

    public static ComposeImage Image(int index, string arch, ImageBuildResult? result) => new()
    {
        Index = index,
        Arch = arch,
        ImageType = "guest-image",
        ImageRequest = new JsonObject { ["architecture"] = arch, ["image_type"] = "guest-image" },
        State = result is null ? ImageState.Pending : ImageState.Success,
        Result = result?.ToJson(),
    };

    public static RpmComponent Rpm(string name, string arch = "x86_64", string? epoch = null, string? signature = null) =>
        new(name, "1.0", "1.fc42", epoch, arch, "5d1c0a7e9b3f4c2d1e0f9a8b7c6d5e4f", signature);

    /// <summary>A successful image result with the files as uploaded.</summary>
    public static ImageBuildResult Result(
        string arch, string directory, IReadOnlyList<KojiOutputFile> files, IReadOnlyList<RpmComponent>? buildroot = null,
        IReadOnlyList<RpmComponent>? payload = null, string? bootMode = "hybrid", JsonArray? targets = null,
        string? generator = "image-builder", string? generatorVersion = "v0.274.0") => new()
    {
        Success = true,
        Arch = arch,
        HostOs = "fedora-42",
        OsbuildVersion = "191",
        PipelineNames = new PipelineNames(["build"], ["os", "image", "qcow2"]),
        UploadStatus = "success",
        TargetResults = targets ?? [],
        Koji = new KojiImageFiles
        {
            Directory = directory,
            Files = files,
            ExportName = "qcow2",
            ExportFilename = "disk.qcow2",
            BootMode = bootMode,
            BuildrootComponents = buildroot ?? [],
            ImageComponents = payload ?? [],
            Generator = generator,
            GeneratorVersion = generatorVersion,
        },
    };

    /// <summary>Koji files as the worker records them, for tests that do not upload (digests made up).</summary>
    public static IReadOnlyList<KojiOutputFile> Files(string nvr, string arch, params string[] sboms)
    {
        var image = $"{nvr}.{arch}.qcow2";
        var files = new List<KojiOutputFile>
        {
            new("image", image, 5_368_709_120, "0c9a00000000000000000000000000aa", new string('1', 64), arch),
            new("osbuild-manifest", image + ".manifest.json", 183_422, "9e1000000000000000000000000000bb", new string('2', 64), arch),
            new("log", image + ".osbuild.log", 2_210_034, "e4d900000000000000000000000000cc", new string('3', 64), "noarch"),
        };
        files.AddRange(sboms.Select(s => new KojiOutputFile("sbom-doc", $"{image}.{s}.spdx.json", 401_233, "0cc100000000000000000000000000dd", new string('4', 64), arch)));
        return files;
    }
}
