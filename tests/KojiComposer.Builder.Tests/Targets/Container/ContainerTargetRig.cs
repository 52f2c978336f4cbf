using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Container;
using KojiComposer.Config;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;
using KojiComposer.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>What the container target tests share: a target over the real skopeo with captured logs, uploads with
/// their own work directory, and a look at what the stack's registry serves.</summary>
internal sealed class ContainerTargetRig : IDisposable
{
    private readonly ILoggerFactory _loggers;

    public ContainerTargetRig(ContainerTargetOptions options, ISkopeo? skopeo = null)
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        var targets = new TargetsOptions { Container = options };
        var logger = _loggers.CreateLogger<ContainerTarget>();
        Target = skopeo is null ? new ContainerTarget(targets, logger) : new ContainerTarget(targets, logger, skopeo);
        WorkDirectory = Directory.CreateTempSubdirectory("kc-container-work-").FullName;
    }

    public CapturedLogs Logs { get; } = new();

    public ContainerTarget Target { get; }

    /// <summary>The uploads' work directory: empty again after every upload (the scratch directory goes).</summary>
    public string WorkDirectory { get; }

    public List<ImageProgress> Progress { get; } = [];

    /// <summary>A repository path no other test uses.</summary>
    public static string UniqueRepository(string what) => $"kc-test-{Guid.NewGuid():N}/{what}";

    /// <summary>Options for the stack's registry (plain http, so no TLS verification) without skopeo retries.</summary>
    public static ContainerTargetOptions Plain(string? domain = null, string? pathPrefix = null) =>
        new() { TlsVerify = false, RetryTimes = 0, Domain = domain, PathPrefix = pathPrefix, Timeout = TimeSpan.FromMinutes(2) };

    public TargetUpload Upload(string artifact, string? name, string? tag = null, string distribution = "rhel-9.6", string? generatedName = null) => new()
    {
        ComposeId = Guid.NewGuid(),
        Image = "compose test image 0 (rhel-9.6 x86_64 edge-container)",
        Distribution = distribution,
        Arch = "x86_64",
        ImageType = "edge-container",
        ArtifactPath = artifact,
        ExportFilename = "container.tar",
        Options = new ContainerUploadOptions(name, tag),
        GeneratedName = generatedName ?? TargetsOptions.DefaultNamePrefix + Guid.NewGuid().ToString("D"),
        Progress = new SyncProgress(Progress),
        WorkDirectory = WorkDirectory,
    };

    /// <summary>The manifest digest the registry at <paramref name="registry"/> answers for repository:tag
    /// (Docker-Content-Digest), checked against the sha256 of the body.</summary>
    public static async Task<string> ServedDigestAsync(string registry, string repository, string tag)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        Assert.Equal(digest, Assert.Single(response.Headers.GetValues("Docker-Content-Digest")));
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", response.Content.Headers.ContentType?.MediaType);
        return digest;
    }

    /// <summary>The result's url split at the last ':' (the tag).</summary>
    public static (string Registry, string Repository, string Tag) Split(JsonObject result)
    {
        var url = result["url"]!.GetValue<string>();
        var colon = url.LastIndexOf(':');
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        return (url[..slash], url[(slash + 1)..colon], url[(colon + 1)..]);
    }

    /// <summary>The pid from the "skopeo N started" log line of <paramref name="command"/>.</summary>
    public int SkopeoPid(string command)
    {
        var line = Logs.Lines.Last(l => l.StartsWith("skopeo ", StringComparison.Ordinal) && l.Contains($" started: --tmpdir ", StringComparison.Ordinal)
            && l.Contains($" {command} ", StringComparison.Ordinal));
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _loggers.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class SyncProgress(List<ImageProgress> list) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value)
        {
            lock (list)
            {
                list.Add(value);
            }
        }
    }
}
