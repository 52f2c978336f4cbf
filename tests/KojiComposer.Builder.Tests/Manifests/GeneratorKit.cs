using System.Text.Json.Nodes;
using KojiComposer.Builder.Catalogue;
using KojiComposer.Builder.Manifests;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Manifests;

/// <summary>
/// A work directory with the image-builder stand-in behind a small wrapper script that sets its scenario and
/// record file (environment variables of the child only, so tests can run in parallel).
/// </summary>
internal sealed class GeneratorKit : IDisposable
{
    public GeneratorKit(string? scenario = null)
    {
        Root = Directory.CreateTempSubdirectory("kc-manifests-").FullName;
        RecordFile = Path.Combine(Root, "record.json");
        Command = Wrapper("image-builder", Standins.ImageBuilder, scenario);
    }

    public string Root { get; }

    public string RecordFile { get; }

    /// <summary>The wrapper to use as the generator command.</summary>
    public string Command { get; }

    public string WorkDirectory => Path.Combine(Root, "work");

    public static ImageTypeInfo Qcow2 { get; } = ImageTypeCatalogue.Load().Find("rhel-9.6", "guest-image")!;

    public ImageBuilderManifestGenerator ImageBuilder(TimeSpan? timeout = null, bool useLibrepo = true, string? rpmmdCache = null, bool withSbom = true) =>
        new(new ManifestGeneratorSettings
        {
            Command = Command, Timeout = timeout ?? TimeSpan.FromMinutes(2), UseLibrepo = useLibrepo, RpmmdCache = rpmmdCache, WithSbom = withSbom,
        }, NullLogger<ImageBuilderManifestGenerator>.Instance);

    public ManifestRequest Request(JsonObject? customizations = null, JsonArray? repositories = null, JsonObject? ostree = null,
        ImageTypeInfo? type = null, string distribution = "rhel-9.6", long seed = 4242) => new()
    {
        Distribution = distribution,
        Arch = "x86_64",
        ImageType = type ?? Qcow2,
        Customizations = customizations,
        Repositories = repositories ?? [],
        Ostree = ostree,
        Seed = seed,
        WorkDirectory = WorkDirectory,
        Description = "compose 1 image 0",
    };

    /// <summary>What the stand-in recorded: <c>argv</c>, <c>blueprint</c>, <c>repo_files</c>.</summary>
    public JsonObject Record() => JsonNode.Parse(File.ReadAllText(RecordFile))!.AsObject();

    public string[] Argv() => [.. Record()["argv"]!.AsArray().Select(a => a!.GetValue<string>())];

    /// <summary>A shell script that runs <paramref name="target"/> with the scenario and record file set.</summary>
    public string Wrapper(string name, string target, string? scenario, string extra = "")
    {
        var path = Path.Combine(Root, name);
        var scenarioLine = scenario is null ? string.Empty : $"export IMAGE_BUILDER_STANDIN_SCENARIO='{scenario}'\n";
        File.WriteAllText(path, $"#!/bin/sh\n{scenarioLine}export IMAGE_BUILDER_STANDIN_RECORD='{RecordFile}'\n{extra}exec '{target}' \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still be closing files; the temp directory is cleaned up eventually.
        }
    }
}
