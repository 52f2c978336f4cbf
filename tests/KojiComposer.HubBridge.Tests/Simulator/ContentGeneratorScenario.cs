using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Uploads;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>
/// One compose's Content Generator import as osbuild-composer does it (cg-import.md §1-§4): the CG user reserves
/// the NVR, uploads into <c>osbuild-cg/osbuild-composer-koji-&lt;uuid&gt;</c> and imports with metadata built the
/// composer way (one buildroot, <c>build.extra.typeinfo.image</c>, <c>extra.image.arch</c> on every archive).
/// </summary>
internal sealed class ContentGeneratorScenario : IAsyncDisposable
{
    public const string Name = "Fedora-Cloud";
    public const string Version = "42";
    public const string Release = "1";

    private readonly Dictionary<string, KojiUploadResult> _uploads = new(StringComparer.Ordinal);

    private ContentGeneratorScenario(SimulatorSite site, KojiSession session, KojiReservation reservation)
    {
        Site = site;
        Session = session;
        Reservation = reservation;
        Directory = NewDirectory();
    }

    public SimulatorSite Site { get; }

    /// <summary>The osbuild-cg session that reserved, uploads and imports.</summary>
    public KojiSession Session { get; }

    public KojiReservation Reservation { get; }

    /// <summary>The upload directory (relative to the hub's work/).</summary>
    public string Directory { get; set; }

    public string Image => $"{Name}-{Version}-{Release}.x86_64.qcow2";

    public string Log => $"{Image}.osbuild.log";

    public static string NewDirectory() => $"osbuild-cg/osbuild-composer-koji-{Guid.NewGuid()}";

    public static async Task<ContentGeneratorScenario> StartAsync(SimulatorSite site, long? taskId = null)
    {
        var session = await site.LoginContentGeneratorAsync();
        var reservation = await session.CGInitBuildAsync("osbuild", Name, Version, Release, taskId);
        return new ContentGeneratorScenario(site, session, reservation);
    }

    /// <summary>Uploads <paramref name="size"/> bytes of a repeating pattern as <paramref name="name"/>.</summary>
    public async Task<KojiUploadResult> UploadAsync(string name, int size = 70004, string? directory = null)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i * 7 % 251);
        }

        var result = await Session.UploadAsync(new MemoryStream(bytes), directory ?? Directory, name);
        _uploads[name] = result;
        return result;
    }

    /// <summary>Uploads the image (70004 bytes) and its log (17 bytes), as in the observed transcript.</summary>
    public async Task UploadImageAndLogAsync(string? directory = null)
    {
        await UploadAsync(Image, directory: directory);
        await UploadAsync(Log, size: 17, directory: directory);
    }

    /// <summary>An image output entry for an uploaded file.</summary>
    public JsonObject ImageOutput(string filename, string arch = "x86_64") => new()
    {
        ["buildroot_id"] = 0,
        ["filename"] = filename,
        ["filesize"] = _uploads[filename].Size,
        ["arch"] = arch,
        ["checksum_type"] = "md5",
        ["checksum"] = _uploads[filename].Md5,
        ["type"] = "image",
        ["components"] = new JsonArray(),
        ["extra"] = new JsonObject { ["image"] = new JsonObject { ["arch"] = arch, ["boot_mode"] = "hybrid" } },
    };

    /// <summary>A log output entry for an uploaded file.</summary>
    public JsonObject LogOutput(string filename) => new()
    {
        ["buildroot_id"] = 0,
        ["filename"] = filename,
        ["filesize"] = _uploads[filename].Size,
        ["arch"] = "noarch",
        ["checksum_type"] = "md5",
        ["checksum"] = _uploads[filename].Md5,
        ["type"] = "log",
    };

    /// <summary>The metadata of a compose, by default with the image and its log as outputs.</summary>
    public JsonObject Metadata(long? taskId = null, params JsonObject[] outputs)
    {
        var build = new JsonObject
        {
            ["name"] = Name,
            ["version"] = Version,
            ["release"] = Release,
            ["build_id"] = Reservation.BuildId,
            ["source"] = string.Empty,
            ["start_time"] = 1795655746,
            ["end_time"] = 1795655806,
            ["extra"] = new JsonObject { ["typeinfo"] = new JsonObject { ["image"] = new JsonObject() } },
        };
        if (taskId is { } t)
        {
            build["task_id"] = t;
        }

        return new JsonObject
        {
            ["metadata_version"] = 0,
            ["build"] = build,
            ["buildroots"] = new JsonArray(new JsonObject
            {
                ["id"] = 0,
                ["host"] = new JsonObject { ["os"] = "fedora-42", ["arch"] = "x86_64" },
                ["content_generator"] = new JsonObject { ["name"] = "osbuild", ["version"] = "191" },
                ["container"] = new JsonObject { ["type"] = "none", ["arch"] = "x86_64" },
                ["tools"] = new JsonArray(),
                ["components"] = new JsonArray(),
            }),
            ["output"] = new JsonArray(outputs.Length > 0 ? outputs : [ImageOutput(Image), LogOutput(Log)]),
        };
    }

    public Task<KojiBuildInfo> ImportAsync(JsonObject metadata, string? directory = null) =>
        Session.CGImportAsync(metadata.ToJsonString(), directory ?? Directory, Reservation);

    /// <summary><c>packages/N/V/R/…</c> under the hub's top directory.</summary>
    public string BuildPath(params string[] parts) => Path.Combine([Site.Hub.KojiDir, "packages", Name, Version, Release, .. parts]);

    /// <summary>An absolute path in the upload directory.</summary>
    public string UploadPath(string name, string? directory = null) => Path.Combine(Site.Hub.WorkDir, directory ?? Directory, name);

    public ValueTask DisposeAsync() => Session.DisposeAsync();
}
