using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;
using static KojiComposer.Scheduler.Tests.Koji.ContentGeneratorTestComposes;

namespace KojiComposer.Scheduler.Tests.Koji;

/// <summary>The CGImport metadata document (cg-import.md §6.1, §6.2), from stored image results alone.</summary>
public sealed class CGMetadataTests
{
    private const string Directory = "osbuild-cg/osbuild-composer-koji-00000000-0000-0000-0000-000000000001";
    private static readonly DateTimeOffset Imported = Created.AddMinutes(30);

    private static readonly JsonArray S3 = [new JsonObject
    {
        ["name"] = "org.osbuild.aws.s3",
        ["options"] = new JsonObject { ["url"] = "https://s3.example.test/image" },
        ["osbuild_artifact"] = new JsonObject { ["export_filename"] = "disk.qcow2", ["export_name"] = "qcow2" },
    }];

    /// <summary>The spec's example: x86_64 (with an S3 target and an SBOM) and aarch64, task 90210, build 1812.</summary>
    private static Compose TwoArches()
    {
        var compose = Pending("https://koji.example.test/kojihub", release: "20250704.0", taskId: 90210);
        var nvr = "Fedora-Cloud-42-20250704.0";
        return Built(compose, new Reservation(1812, "secret-token"),
            Result("x86_64", Directory, Files(nvr, "x86_64", "buildroot-build"),
                buildroot: [Rpm("coreutils", signature: "89021c04"), Rpm("qemu-img", epoch: "2")],
                payload: [Rpm("kernel-core", signature: "89021c04"), Rpm("kernel-core", signature: "89021c04")],
                targets: S3),
            Result("aarch64", Directory, Files(nvr, "aarch64"), bootMode: "uefi"));
    }

    private static JsonObject Build(Compose compose) => CGMetadata.Build(compose, "osbuild", "kojicomposer-1.0.0", Imported);

    [Fact]
    public void Build_WritesTheBuild_WithItsTaskTimesAndTypeInfo()
    {
        var metadata = Build(TwoArches());

        Assert.Equal(0, (int)metadata["metadata_version"]!);
        Assert.Equal(["metadata_version", "build", "buildroots", "output"], metadata.Select(p => p.Key));
        var build = metadata["build"]!.AsObject();
        Assert.Equal(["build_id", "task_id", "name", "version", "release", "source", "start_time", "end_time", "extra"], build.Select(p => p.Key));
        Assert.Equal((1812L, 90210L, "Fedora-Cloud", "42", "20250704.0", ""),
            ((long)build["build_id"]!, (long)build["task_id"]!, (string)build["name"]!, (string)build["version"]!, (string)build["release"]!, (string)build["source"]!));
        Assert.Equal(Created.ToUnixTimeSeconds(), (long)build["start_time"]!);
        Assert.Equal(Imported.ToUnixTimeSeconds(), (long)build["end_time"]!);

        var images = build["extra"]!["typeinfo"]!["image"]!.AsObject();
        Assert.Equal(["Fedora-Cloud-42-20250704.0.x86_64.qcow2", "Fedora-Cloud-42-20250704.0.aarch64.qcow2"], images.Select(p => p.Key));
        AssertJson("""
            {"arch": "x86_64", "boot_mode": "hybrid",
             "osbuild_artifact": {"export_filename": "disk.qcow2", "export_name": "qcow2"},
             "osbuild_version": "191",
             "upload_target_results": [{"name": "org.osbuild.aws.s3", "options": {"url": "https://s3.example.test/image"},
                                        "osbuild_artifact": {"export_filename": "disk.qcow2", "export_name": "qcow2"}}]}
            """, images["Fedora-Cloud-42-20250704.0.x86_64.qcow2"]);
        AssertJson("""
            {"arch": "aarch64", "boot_mode": "uefi",
             "osbuild_artifact": {"export_filename": "disk.qcow2", "export_name": "qcow2"}, "osbuild_version": "191"}
            """, images["Fedora-Cloud-42-20250704.0.aarch64.qcow2"]);

        AssertJson("""
            {"Fedora-Cloud-42-20250704.0.x86_64.qcow2.manifest.json": {"arch": "x86_64",
               "info": {"osbuild_composer_version": "kojicomposer-1.0.0", "osbuild_composer_deps": [{"path": "image-builder", "version": "v0.274.0"}]}},
             "Fedora-Cloud-42-20250704.0.aarch64.qcow2.manifest.json": {"arch": "aarch64",
               "info": {"osbuild_composer_version": "kojicomposer-1.0.0", "osbuild_composer_deps": [{"path": "image-builder", "version": "v0.274.0"}]}}}
            """, build["extra"]!["osbuild_manifest"]);
    }

    [Fact]
    public void Build_WritesOneBuildrootPerImage_WithItsBuildPipelineRpms()
    {
        var buildroots = Build(TwoArches())["buildroots"]!.AsArray();

        AssertJson("""
            [{"id": 0, "host": {"os": "fedora-42", "arch": "x86_64"},
              "content_generator": {"name": "osbuild", "version": "191"},
              "container": {"type": "none", "arch": "x86_64"}, "tools": [],
              "components": [
                {"type": "rpm", "name": "coreutils", "version": "1.0", "release": "1.fc42", "arch": "x86_64",
                 "sigmd5": "5d1c0a7e9b3f4c2d1e0f9a8b7c6d5e4f", "signature": "89021c04"},
                {"type": "rpm", "name": "qemu-img", "version": "1.0", "release": "1.fc42", "epoch": "2", "arch": "x86_64",
                 "sigmd5": "5d1c0a7e9b3f4c2d1e0f9a8b7c6d5e4f", "signature": null}]},
             {"id": 1, "host": {"os": "fedora-42", "arch": "aarch64"},
              "content_generator": {"name": "osbuild", "version": "191"},
              "container": {"type": "none", "arch": "aarch64"}, "tools": [], "components": []}]
            """, buildroots);
    }

    [Fact]
    public void Build_WritesEachImagesOutputsInFileOrder_ImageManifestLogSbom()
    {
        var outputs = Build(TwoArches())["output"]!.AsArray();

        Assert.Equal(
            [(0, "image", "Fedora-Cloud-42-20250704.0.x86_64.qcow2", "x86_64"),
             (0, "osbuild-manifest", "Fedora-Cloud-42-20250704.0.x86_64.qcow2.manifest.json", "x86_64"),
             (0, "log", "Fedora-Cloud-42-20250704.0.x86_64.qcow2.osbuild.log", "noarch"),
             (0, "sbom-doc", "Fedora-Cloud-42-20250704.0.x86_64.qcow2.buildroot-build.spdx.json", "x86_64"),
             (1, "image", "Fedora-Cloud-42-20250704.0.aarch64.qcow2", "aarch64"),
             (1, "osbuild-manifest", "Fedora-Cloud-42-20250704.0.aarch64.qcow2.manifest.json", "aarch64"),
             (1, "log", "Fedora-Cloud-42-20250704.0.aarch64.qcow2.osbuild.log", "noarch")],
            outputs.Select(o => ((int)o!["buildroot_id"]!, (string)o["type"]!, (string)o["filename"]!, (string)o["arch"]!)));

        // The image: size beyond 2^31, md5, payload RPMs de-duplicated, and the image extra object.
        AssertJson("""
            {"buildroot_id": 0, "filename": "Fedora-Cloud-42-20250704.0.x86_64.qcow2", "filesize": 5368709120,
             "arch": "x86_64", "checksum_type": "md5", "checksum": "0c9a00000000000000000000000000aa", "type": "image",
             "components": [{"type": "rpm", "name": "kernel-core", "version": "1.0", "release": "1.fc42", "arch": "x86_64",
                             "sigmd5": "5d1c0a7e9b3f4c2d1e0f9a8b7c6d5e4f", "signature": "89021c04"}],
             "extra": {"image": {"arch": "x86_64", "boot_mode": "hybrid",
                                 "osbuild_artifact": {"export_filename": "disk.qcow2", "export_name": "qcow2"},
                                 "osbuild_version": "191",
                                 "upload_target_results": [{"name": "org.osbuild.aws.s3", "options": {"url": "https://s3.example.test/image"},
                                                            "osbuild_artifact": {"export_filename": "disk.qcow2", "export_name": "qcow2"}}]}}}
            """, outputs[0]);
        Assert.Equal("x86_64", (string)outputs[1]!["extra"]!["image"]!["arch"]!);
        Assert.Equal("kojicomposer-1.0.0", (string)outputs[1]!["extra"]!["image"]!["info"]!["osbuild_composer_version"]!);
        // The log is a build log: no btype, so no extra at all.
        Assert.Equal(["buildroot_id", "filename", "filesize", "arch", "checksum_type", "checksum", "type"], outputs[2]!.AsObject().Select(p => p.Key));
        AssertJson("""{"image": {"arch": "x86_64"}}""", outputs[3]!["extra"]);
    }

    [Fact]
    public void Build_LeavesOutOptionalKeys_WhenThereIsNothingToSay()
    {
        var compose = Pending("https://koji.example.test/kojihub"); // no task
        var files = Files(compose.Nvr, "x86_64").Where(f => f.Type != "osbuild-manifest").ToList();
        var metadata = Build(Built(compose, new Reservation(7, "t"),
            Result("x86_64", Directory, files, bootMode: null, generatorVersion: null,
                targets: [new JsonObject { ["name"] = "org.osbuild.koji", ["options"] = new JsonObject() }])));

        var build = metadata["build"]!.AsObject();
        Assert.False(build.ContainsKey("task_id"));
        Assert.False(build.ContainsKey("owner"));
        Assert.False(build.ContainsKey("epoch"));
        Assert.False(build["extra"]!.AsObject().ContainsKey("osbuild_manifest")); // no manifests
        var image = metadata["output"]![0]!.AsObject();
        Assert.False(image.ContainsKey("components")); // no payload RPMs
        AssertJson("""
            {"arch": "x86_64", "osbuild_artifact": {"export_filename": "disk.qcow2", "export_name": "qcow2"}, "osbuild_version": "191"}
            """, image["extra"]!["image"]); // no boot mode, and the Koji target is not a cloud target result
        Assert.Equal("[]", metadata["buildroots"]![0]!["components"]!.ToJsonString()); // always present
    }

    [Fact]
    public void Build_WritesTheManifestInfo_WithoutDeps_WhenTheGeneratorVersionIsUnknown()
    {
        var compose = Pending("https://koji.example.test/kojihub");
        var metadata = Build(Built(compose, new Reservation(7, "t"), Result("x86_64", Directory, Files(compose.Nvr, "x86_64"), generatorVersion: null)));

        AssertJson("""{"arch": "x86_64", "info": {"osbuild_composer_version": "kojicomposer-1.0.0"}}""", metadata["output"]![1]!["extra"]!["image"]);
    }

    [Fact]
    public void Build_UsesTheReservedRelease_WhenTheReservationMovedToTheNextOne()
    {
        var compose = Pending("https://koji.example.test/kojihub", release: "1", releaseGenerated: true);
        var reserved = Built(compose, new Reservation(7, "t") { Release = "2" }, Result("x86_64", Directory, Files("Fedora-Cloud-42-2", "x86_64"))) with { Release = "1" };

        Assert.Equal("2", (string)Build(reserved)["build"]!["release"]!);
    }

    [Fact]
    public void Build_NeverWritesTheToken()
    {
        var text = Build(TwoArches()).ToJsonString();

        Assert.DoesNotContain("secret-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_Throws_WhenTheComposeIsNotReserved()
    {
        var compose = TwoArches() with { Reservation = null };

        var error = Assert.Throws<InvalidOperationException>(() => Build(compose));
        Assert.Contains("no reservation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Throws_WhenAnImageHasNoKojiFiles()
    {
        var compose = TwoArches();
        compose = compose with { Images = [compose.Images[0], compose.Images[1] with { Result = (Result("aarch64", Directory, []) with { Koji = null }).ToJson() }] };

        var error = Assert.Throws<InvalidOperationException>(() => Build(compose));
        Assert.Contains("image 1 (aarch64 guest-image)", error.Message, StringComparison.Ordinal);
        Assert.Contains("uploaded no files to Koji", error.Message, StringComparison.Ordinal);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\n  actual {actual?.ToJsonString()}");
}
