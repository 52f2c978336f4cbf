using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KojiComposer.Contracts.Images;

/// <summary>
/// The result of one image build as stored with the image (<see cref="ImageBuildOutcome.Result"/>): composer's image
/// build result (composer-api.md §4.1, what <c>/logs</c> and the task's <c>&lt;arch&gt;-&lt;type&gt;.log.json</c> show) plus
/// <see cref="Koji"/>, everything the Content Generator import needs (cg-import.md §6.1) so that the import never
/// has to look at the worker's disk again.
/// </summary>
public sealed record ImageBuildResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>True when the image was built and uploaded.</summary>
    [JsonPropertyName("success")]
    public bool Success { get; init; }

    /// <summary>The image's architecture.</summary>
    [JsonPropertyName("arch")]
    public required string Arch { get; init; }

    /// <summary>The worker host's OS as <c>&lt;ID&gt;-&lt;VERSION_ID&gt;</c> from os-release, e.g. <c>rhel-9.6</c>;
    /// <c>linux</c> when unknown.</summary>
    [JsonPropertyName("host_os")]
    public required string HostOs { get; init; }

    /// <summary>osbuild's version number, e.g. <c>191</c>.</summary>
    [JsonPropertyName("osbuild_version")]
    public required string OsbuildVersion { get; init; }

    /// <summary>Which manifest pipelines make the build root and which the image.</summary>
    [JsonPropertyName("pipeline_names")]
    public PipelineNames? PipelineNames { get; init; }

    /// <summary>osbuild's <c>--json</c> result document as it printed it, or null when osbuild did not run or
    /// printed nothing.</summary>
    [JsonPropertyName("osbuild_output")]
    public JsonNode? OsbuildOutput { get; init; }

    /// <summary>Cloud target results (<c>{"name", "options", "osbuild_artifact", "target_error"?}</c>); empty
    /// without cloud targets.</summary>
    [JsonPropertyName("target_results")]
    public JsonArray TargetResults { get; init; } = [];

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    [JsonPropertyName("upload_status")]
    public string UploadStatus { get; init; } = "failure";

    /// <summary>Why the build failed, composer's error shape, or null.</summary>
    [JsonPropertyName("job_error")]
    public JsonObject? JobError { get; init; }

    /// <summary>What went to Koji, or null when the compose makes no Koji build or nothing was uploaded.</summary>
    [JsonPropertyName("koji")]
    public KojiImageFiles? Koji { get; init; }

    /// <summary>As JSON text (snake_case keys, nulls left out).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <see cref="ToJson"/>'s text back.</summary>
    /// <exception cref="JsonException">The text is not an image build result.</exception>
    public static ImageBuildResult FromJson(string json) =>
        JsonSerializer.Deserialize<ImageBuildResult>(json, Json) ?? throw new JsonException("image build result is null");
}

/// <summary>The roles of a manifest's pipelines (osbuild-run.md §4): RPMs of <see cref="Build"/> pipelines are
/// buildroot components, RPMs of <see cref="Payload"/> pipelines are image components.</summary>
public sealed record PipelineNames(
    [property: JsonPropertyName("build")] IReadOnlyList<string> Build,
    [property: JsonPropertyName("payload")] IReadOnlyList<string> Payload);

/// <summary>One image's files in the compose's Koji upload directory and the facts the import writes about them
/// (cg-import.md §6.1).</summary>
public sealed record KojiImageFiles
{
    /// <summary>The upload directory (<see cref="KojiUploadDirectory.For"/>).</summary>
    [JsonPropertyName("directory")]
    public required string Directory { get; init; }

    /// <summary>The files in output order: image, manifest, log, SBOMs.</summary>
    [JsonPropertyName("files")]
    public required IReadOnlyList<KojiOutputFile> Files { get; init; }

    /// <summary>osbuild's export pipeline, e.g. <c>qcow2</c>.</summary>
    [JsonPropertyName("export_name")]
    public required string ExportName { get; init; }

    /// <summary>The exported file's name inside the export directory, e.g. <c>disk.qcow2</c>.</summary>
    [JsonPropertyName("export_filename")]
    public required string ExportFilename { get; init; }

    /// <summary><c>legacy</c>, <c>uefi</c> or <c>hybrid</c>; null when the image type does not boot.</summary>
    [JsonPropertyName("boot_mode")]
    public string? BootMode { get; init; }

    /// <summary>RPMs of the build pipelines, de-duplicated by NEVRA.</summary>
    [JsonPropertyName("buildroot_components")]
    public IReadOnlyList<RpmComponent> BuildrootComponents { get; init; } = [];

    /// <summary>RPMs of the payload pipelines, de-duplicated by NEVRA.</summary>
    [JsonPropertyName("image_components")]
    public IReadOnlyList<RpmComponent> ImageComponents { get; init; } = [];

    /// <summary>The manifest generator, e.g. <c>image-builder</c>.</summary>
    [JsonPropertyName("generator")]
    public string? Generator { get; init; }

    /// <summary>The manifest generator's version (written as the manifest's <c>osbuild_composer_deps</c>).</summary>
    [JsonPropertyName("generator_version")]
    public string? GeneratorVersion { get; init; }
}

/// <summary>One uploaded file.</summary>
/// <param name="Type">CG output type: <c>image</c>, <c>osbuild-manifest</c>, <c>log</c> or <c>sbom-doc</c>.</param>
/// <param name="Filename">Name in the upload directory, e.g. <c>Fedora-Cloud-42-1.x86_64.qcow2</c>.</param>
/// <param name="Filesize">Bytes.</param>
/// <param name="Md5">Hex md5 of the whole file (what Koji checks).</param>
/// <param name="Sha256">Hex sha256 of the whole file.</param>
/// <param name="Arch">The output's arch: the image's, or <c>noarch</c> for the log.</param>
public sealed record KojiOutputFile(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("filesize")] long Filesize,
    [property: JsonPropertyName("md5")] string Md5,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("arch")] string Arch);

/// <summary>An RPM as a CG component (cg-import.md §6.1); <see cref="Epoch"/> null means "no epoch".</summary>
public sealed record RpmComponent(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("release")] string Release,
    [property: JsonPropertyName("epoch")] string? Epoch,
    [property: JsonPropertyName("arch")] string Arch,
    [property: JsonPropertyName("sigmd5")] string? Sigmd5,
    [property: JsonPropertyName("signature")] string? Signature)
{
    /// <summary>name-[epoch:]version-release.arch, the de-duplication key.</summary>
    public string Nevra => $"{Name}-{(Epoch is null ? "" : Epoch + ":")}{Version}-{Release}.{Arch}";
}
