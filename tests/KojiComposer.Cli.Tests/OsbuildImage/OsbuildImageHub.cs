using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using KojiComposer.Testing;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Cli.Tests.OsbuildImage;

/// <summary>
/// One hub simulator for the osbuild-image tests that need no service: build tag <c>f42-build</c>, destination
/// tag <c>f42</c>, target <c>f42-candidate</c> (the names of the observed transcript), and target
/// <c>broken-candidate</c> whose destination tag the hub no longer finds. Nothing takes tasks, so they stay FREE
/// until a test moves them (<see cref="Finish"/>, <see cref="Open"/>).
/// </summary>
public sealed class OsbuildImageHub : IAsyncLifetime
{
    public const string Target = "f42-candidate";
    public const string BrokenTarget = "broken-candidate";
    public const string WebUrl = "https://koji.example.com/koji";

    public SimulatedHub Simulated { get; private set; } = null!;

    public HubSimulator.HubSimulator Hub => Simulated.Hub;

    public Uri Url => Simulated.Url;

    public async Task InitializeAsync()
    {
        Simulated = await SimulatedHub.StartAsync();
        Hub.Seed(s =>
        {
            s.AddTag("f42-build", "x86_64 aarch64");
            s.AddTag("f42");
            s.AddTarget(Target, "f42-build", "f42");
            s.AddTag("gone");
            s.AddTarget(BrokenTarget, "f42-build", "gone");
        });

        // As if tag "gone" had been deleted after the target was made: getTag finds nothing.
        Hub.Dispatcher.TryGet("getTag", out var getTag);
        Hub.Dispatcher.Register("getTag", call =>
        {
            var tag = getTag(call);
            return tag is XmlRpcStruct found && Equals(found["name"], "gone") ? null : tag;
        });
    }

    public async Task DisposeAsync() => await Simulated.DisposeAsync();

    /// <summary>The profile as releng (permission image), or as another principal of the test realm.</summary>
    public void WriteProfile(CliHarness cli, string? principal = null, string keytab = "releng", string? server = null) =>
        cli.WriteUserConfig($"""
            [koji]
            server = "{server ?? Url.AbsoluteUri}"
            weburl = "{WebUrl}"
            principal = "{principal ?? TestStack.UserPrincipal}"
            keytab = "{TestStack.Keytab(keytab)}"
            poll_interval_seconds = 0.1
            max_retries = 2
            retry_interval_seconds = 0.05
            """);

    /// <summary>The newest task's id; 0 when there is none.</summary>
    public long LastTaskId() => Hub.Read(s => s.Tasks.Count == 0 ? 0 : s.Tasks.Keys.Max());

    /// <summary>Opens the task on builder1, as the scheduler and the host would.</summary>
    public void Open(long id) => Hub.Seed(s =>
    {
        s.Tasks[id].State = TaskState.Open;
        s.Tasks[id].HostId = Simulated.Builder1.Id;
    });

    /// <summary>Ends the task: CLOSED with <paramref name="result"/>, FAILED with a fault, or CANCELED.</summary>
    public void Finish(long id, TaskState state, object? result = null, (int Code, string Text)? fault = null) => Hub.Seed(s =>
    {
        var task = s.Tasks[id];
        task.State = state;
        using var document = new MemoryStream();
        if (fault is { } f)
        {
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            XmlRpcWriter.WriteFault(writer, f.Code, f.Text);
            task.Result = System.Text.Encoding.UTF8.GetString(writer.WrittenSpan);
        }
        else if (state != TaskState.Canceled)
        {
            XmlRpcWriter.WriteMethodResponse(document, result);
            task.Result = System.Text.Encoding.UTF8.GetString(document.ToArray());
        }
    });

    /// <summary>A subtask like our tagBuild.</summary>
    public SimTask AddTagBuild(long parent) =>
        Hub.CreateTask("tagBuild", [1, 2, false, null, true], "releng", channel: "image", arch: "noarch", parent: parent, label: "tag");

    /// <summary>An osbuildImage task as the stock CLI makes it.</summary>
    public SimTask AddOsbuildImage() =>
        Hub.CreateTask("osbuildImage", ["Fedora-Cloud", "42", "fedora-42", "qcow2", Target, new object?[] { "x86_64" }, new XmlRpcStruct()], "releng", channel: "image");

    /// <summary>The result our service closes tasks with.</summary>
    public static XmlRpcStruct Result(long build = 7) => new()
    {
        ["composer"] = new XmlRpcStruct { ["server"] = "https://kojicomposer.example.com", ["id"] = "29381a43-333f-4093-b144-bf7f4a892372" },
        ["koji"] = new XmlRpcStruct { ["build"] = build },
    };

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; fails after 30 s.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(10);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OsbuildImageHubCollection : ICollectionFixture<OsbuildImageHub>
{
    public const string Name = "osbuild-image hub";
}
