using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.Testing.Site;
using Spectre.Console;
using Spectre.Console.Testing;

namespace KojiComposer.Cli.Tests.Watch;

/// <summary>
/// One Koji site with KojiComposer (<see cref="IntakeSite"/>) and one <c>osbuildImage</c> task on it (x86_64 and
/// aarch64), watched from its submission by several <c>kojicomposer watch</c> runs at once, one per way of
/// watching (service or hub, plain lines, a terminal, JSON): one build serves every test of a class.
/// </summary>
public abstract class WatchSiteFixture : IAsyncLifetime
{
    private readonly List<CliHarness> _harnesses = [];

    public IntakeSite Site { get; private set; } = null!;

    public long TaskId { get; private set; }

    public string TaskText => TaskId.ToString(CultureInfo.InvariantCulture);

    public Guid ComposeId { get; private set; }

    /// <summary>What the osbuild stand-in does.</summary>
    protected abstract IReadOnlyDictionary<string, string> Osbuild { get; }

    public async Task InitializeAsync()
    {
        Site = await IntakeSite.StartAsync(osbuild: Osbuild);
        TaskId = await Site.SubmitAsync(["x86_64", "aarch64"]);
        await WatchAsync();
        await Site.WaitForTaskAsync(TaskId);
    }

    /// <summary>Runs the watchers while the task runs; each keeps its result for a test.</summary>
    protected abstract Task WatchAsync();

    public async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            harness.Dispose();
        }

        await Site.DisposeAsync();
    }

    /// <summary>A CLI whose profile names the hub and, when <paramref name="service"/>, the service.</summary>
    public CliHarness Cli(bool service = true, Uri? serviceUrl = null)
    {
        var harness = new CliHarness();
        _harnesses.Add(harness);
        harness.WriteProfile(Site.Hub.Url, service ? serviceUrl ?? Site.Api.BaseAddress : null);
        return harness;
    }

    /// <summary>A CLI on a terminal: a Spectre TestConsole 100 columns wide, without colours (so a bar's remaining
    /// part is blank, as on a terminal without colours, and the snapshot shows how far it got).</summary>
    public (CliHarness Cli, TestConsole Terminal) TerminalCli(bool service = true)
    {
        var terminal = new TestConsole().Width(100).Colors(ColorSystem.NoColors);
        var harness = Cli(service);
        harness.OutputIsTerminal = true;
        harness.Terminal = terminal;
        return (harness, terminal);
    }

    /// <summary>Waits until the service's compose for the task exists and <paramref name="condition"/> holds.</summary>
    protected async Task<JsonObject> WaitForComposeAsync(Func<JsonObject, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var list = await Site.GetJsonAsync($"/api/image-builder-composer/v2/composes/?task_id={TaskText}");
            if (list["items"] is JsonArray { Count: > 0 } items && items[0] is JsonObject found && condition(found))
            {
                ComposeId = Guid.Parse((string)found["id"]!);
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within 60 s; log:\n{string.Join("\n", Site.Logs.Lines.TakeLast(40))}");
            }

            await Task.Delay(100);
        }
    }

    protected static bool AnyImage(JsonObject compose, string state) =>
        compose["kojicomposer"]!["images"]!.AsArray().Any(i => (string?)i!["state"] == state);
}

/// <summary>Results of a watch, with the lines a snapshot compares.</summary>
public static class WatchOutput
{
    /// <summary>Lines that come and go with timing (a task or compose state seen on the way, an image's
    /// progress): everything at the left margin except the <c>Watching …</c> header and the summary's first
    /// line, which begins with the N-V-R and ends with its ids.</summary>
    public static bool IsProgressLine(string line) =>
        !line.StartsWith(' ') && !line.StartsWith("Watching ", StringComparison.Ordinal)
        && !(line.StartsWith("Fedora-Cloud-42-1: ", StringComparison.Ordinal) && line.EndsWith(')'));

    /// <summary>stdout without the progress lines, normalised for a snapshot.</summary>
    public static string Stable(string output) =>
        Snapshot.Normalize(string.Join('\n', output.TrimEnd('\n').Split('\n').Where(l => !IsProgressLine(l))) + "\n");

    /// <summary>The terminal's last frame and the summary under it: what stays on the screen. Every frame begins
    /// with the header (the N-V-R followed by " · "); frames are not separated on a TestConsole.</summary>
    public static string LastFrame(TestConsole terminal, string headerStart = "Fedora-Cloud-42-1 · ")
    {
        var output = terminal.Output;
        var start = output.LastIndexOf(headerStart, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no frame starting with \"{headerStart}\" in:\n{output}");
        return Snapshot.Normalize(output[start..]);
    }
}
