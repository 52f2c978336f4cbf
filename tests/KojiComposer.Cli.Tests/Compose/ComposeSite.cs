using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KojiComposer.Testing.Site;

namespace KojiComposer.Cli.Tests.Compose;

/// <summary>
/// One Koji site with kojicomposerd for the compose command tests (loopback requests are operator, the default):
/// two Koji tasks already built (<see cref="Finished"/>: x86_64 and aarch64; <see cref="Second"/>: x86_64). s390x
/// images build slowly (the osbuild stand-in's <c>slow</c> scenario, 600 s), so a test can cancel one while it runs.
/// </summary>
public sealed class ComposeSite : IAsyncLifetime
{
    public const string Api = "/api/image-builder-composer/v2";

    public IntakeSite Site { get; private set; } = null!;

    /// <summary>The two-image compose (x86_64, aarch64) of Koji task <see cref="FinishedTask"/>, finished.</summary>
    public JsonObject Finished { get; private set; } = null!;

    public long FinishedTask { get; private set; }

    /// <summary>A second finished compose (x86_64), so that lists have pages.</summary>
    public JsonObject Second { get; private set; } = null!;

    public string FinishedId => (string)Finished["id"]!;

    public async Task InitializeAsync()
    {
        Site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string>
        {
            ["OSBUILD_STANDIN_SCENARIO"] = "slow",
            ["OSBUILD_STANDIN_SCENARIO_MATCH"] = "/s390x",
            ["OSBUILD_STANDIN_SLOW_SECONDS"] = "600",
        });
        FinishedTask = await Site.SubmitAsync(["x86_64", "aarch64"]);
        var second = await Site.SubmitAsync(["x86_64"]);
        await Site.WaitForTaskAsync(FinishedTask);
        await Site.WaitForTaskAsync(second);
        Finished = await ForTaskAsync(FinishedTask) ?? throw new InvalidOperationException($"no compose for task {FinishedTask}");
        Second = await ForTaskAsync(second) ?? throw new InvalidOperationException($"no compose for task {second}");
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();

    /// <summary>The compose of a Koji task, as the API shows it now, or null.</summary>
    public async Task<JsonObject?> ForTaskAsync(long task) =>
        (await Site.GetJsonAsync($"{Api}/composes/?task_id={task}"))["items"]!.AsArray().FirstOrDefault() as JsonObject;

    public Task<JsonObject> StatusAsync(string id) => Site.GetJsonAsync($"{Api}/composes/{id}");

    /// <summary>Submits a compose through the API, as the stock koji-osbuild builder plugin does (no task of our
    /// intake behind it, only the plugin's task id), and returns its id and that task id.</summary>
    public async Task<(string Id, long Task)> SubmitApiComposeAsync(string arch, string release)
    {
        var task = 900_000 + Random.Shared.Next(99_999);
        using var response = await Site.Api.PostAsJsonAsync($"{Api}/compose", new JsonObject
        {
            ["distribution"] = "fedora-42",
            ["koji"] = new JsonObject { ["server"] = Site.Hub.Url.AbsoluteUri, ["task_id"] = task, ["name"] = "Fedora-Cloud", ["version"] = "42", ["release"] = release },
            ["image_requests"] = new JsonArray(new JsonObject { ["architecture"] = arch, ["image_type"] = "guest-image", ["repositories"] = new JsonArray(new JsonObject { ["baseurl"] = "https://repo.example.com/f42/" + arch }) }),
        });
        response.EnsureSuccessStatusCode();
        return ((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!, task);
    }

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds, polling; fails after 60 s.</summary>
    public static async Task<JsonObject> WaitAsync(Func<Task<JsonObject?>> read, Func<JsonObject, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var last = await read();
            if (last is not null && done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within 60 s; last: {last?.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    public static string State(JsonObject status) => (string)status["kojicomposer"]!["state"]!;

    public static string ImageState(JsonObject status, int index = 0) => (string)status["kojicomposer"]!["images"]![index]!["state"]!;
}

/// <summary>The compose command test classes share one <see cref="ComposeSite"/> (their tests run one after
/// another).</summary>
[CollectionDefinition(Name)]
public sealed class ComposeSiteCollection : ICollectionFixture<ComposeSite>
{
    public const string Name = "compose site";
}
