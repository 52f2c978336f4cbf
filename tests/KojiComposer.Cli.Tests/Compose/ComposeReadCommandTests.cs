using System.Globalization;
using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Tests.Compose;

/// <summary><c>compose list|show|logs|manifests</c> against kojicomposerd serving finished Koji tasks (the real
/// command tree, the real service, the hub simulator).</summary>
[Collection(ComposeSiteCollection.Name)]
public sealed class ComposeReadCommandTests : IDisposable
{
    private readonly ComposeSite _site;
    private readonly CliHarness _cli = new();

    public ComposeReadCommandTests(ComposeSite site)
    {
        _site = site;
        _cli.WriteProfile(site.Site.Hub.Url, site.Site.Api.BaseAddress);
    }

    public void Dispose() => _cli.Dispose();

    private string Service => _site.Site.Api.BaseAddress!.AbsoluteUri.TrimEnd('/');

    private static string Id(JsonObject status) => (string)status["id"]!;

    private static string Nvr(JsonObject status) => (string)status["kojicomposer"]!["nvr"]!;

    private static string Time(JsonObject status, string key) =>
        DateTimeOffset.Parse((string)status["kojicomposer"]![key]!, CultureInfo.InvariantCulture).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Row(JsonObject status, string images) =>
        $"{Id(status),-36}  {"success",-7}  {Nvr(status),-17}  {(long)status["kojicomposer"]!["koji_task_id"]!,-4}  {images,-6}  {Time(status, "created_at")}";

    private const string Header = "COMPOSE                               STATE    NVR                TASK  IMAGES  CREATED";

    [Fact]
    public async Task List_PrintsPlainColumns_WhenStdoutIsNotATerminal()
    {
        var result = await _cli.RunAsync("compose", "list", "--task", _site.FinishedTask.ToString(CultureInfo.InvariantCulture));

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal([Header, Row(_site.Finished, "2/2")], result.OutLines);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task List_SaysNOfTotal_AndTheNextOffset_WhenPaged()
    {
        var newestFirst = (await _site.Site.GetJsonAsync($"{ComposeSite.Api}/composes/?state=success"))["items"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(2, newestFirst.Count);

        var first = await _cli.RunAsync("compose", "list", "--state", "success", "--limit", "1");
        var second = await _cli.RunAsync("compose", "list", "--state", "success", "--limit", "1", "--offset", "1");

        Assert.Equal([Header, Row(newestFirst[0], Id(newestFirst[0]) == _site.FinishedId ? "2/2" : "1/1"), "1 of 2 composes (1-1); the next page: --offset 1"], first.OutLines);
        Assert.Equal([Header, Row(newestFirst[1], Id(newestFirst[1]) == _site.FinishedId ? "2/2" : "1/1"), "1 of 2 composes (2-2)"], second.OutLines);
    }

    [Fact]
    public async Task List_Quiet_PrintsOnlyTheRows()
    {
        var result = await _cli.RunAsync("-q", "compose", "list", "--task", _site.FinishedTask.ToString(CultureInfo.InvariantCulture));

        Assert.Equal([$"{Id(_site.Finished)}  success  {Nvr(_site.Finished)}  {_site.FinishedTask}  2/2  {Time(_site.Finished, "created_at")}"], result.OutLines);
    }

    [Fact]
    public async Task List_OnATerminal_DrawsATable()
    {
        _cli.OutputIsTerminal = true;

        var result = await _cli.RunAsync("compose", "list", "--task", _site.FinishedTask.ToString(CultureInfo.InvariantCulture));

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.StartsWith("╭", result.OutLines[0], StringComparison.Ordinal);
        // The id is never wrapped, even when the NVR has to be (100 columns here).
        Assert.Contains(result.OutLines, l => l.StartsWith($"│ {Id(_site.Finished)} │ ", StringComparison.Ordinal) && l.Contains("success", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_InJson_IsTheApisListObject()
    {
        var result = await _cli.RunAsync("compose", "list", "--task", _site.FinishedTask.ToString(CultureInfo.InvariantCulture), "--format", "json");

        Assert.Equal(ExitCodes.Success, result.Code);
        var list = JsonNode.Parse(result.Out)!.AsObject();
        Assert.Equal("ComposeList", (string?)list["kind"]);
        Assert.Equal(1, (int)list["total"]!);
        Assert.True(JsonNode.DeepEquals(_site.Finished, list["items"]![0]), list.ToJsonString());
    }

    [Fact]
    public async Task List_SaysSo_WhenNothingMatches()
    {
        var result = await _cli.RunAsync("compose", "list", "--nvr", "No-Such-Image");

        Assert.Equal((ExitCodes.Success, "No composes match.\n"), (result.Code, result.Out));
    }

    [Fact]
    public async Task List_RefusesAnAgeWithoutUnit_BeforeAskingTheService()
    {
        var result = await _cli.RunAsync("compose", "list", "--age", "6");

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Equal("kojicomposer compose list: error: --age: \"6\" is not an age: give a number and s, m, h or d, e.g. 30m, 6h or 7d\n", result.Error);
    }

    [Fact]
    public async Task Show_ByKojiTask_PrintsTheComposeWithKojiLinks_StepsAndImages()
    {
        var status = _site.Finished;
        var build = (long)status["kojicomposer"]!["koji_build_id"]!;
        var images = status["kojicomposer"]!["images"]!.AsArray();
        var nvr = Nvr(status);

        var result = await _cli.RunAsync("compose", "show", _site.FinishedTask.ToString(CultureInfo.InvariantCulture));

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal(
            [
                $"Compose {Id(status)}: {nvr}",
                "  State:        success",
                "  Distribution: fedora-42",
                $"  Koji task:    {_site.FinishedTask}  https://koji.example.com/koji/taskinfo?taskID={_site.FinishedTask}",
                $"  Koji build:   {build}  https://koji.example.com/koji/buildinfo?buildID={build}",
                "  Submitted by: releng",
                $"  Created:      {Time(status, "created_at")}",
                $"  Finished:     {Time(status, "finished_at")}",
                "  Reservation:  success",
                "  Import:       success",
                "  Images (2 of 2 built):",
                $"    0  x86_64   guest-image  success  attempt 1  on {images[0]!["worker"]}",
                $"      upload koji: success, {nvr}.x86_64.qcow2 (4096 bytes)",
                $"    1  aarch64  guest-image  success  attempt 1  on {images[1]!["worker"]}",
                $"      upload koji: success, {nvr}.aarch64.qcow2 (4096 bytes)",
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Show_InJson_IsTheApisComposeStatus()
    {
        var result = await _cli.RunAsync("compose", "show", _site.FinishedId, "--format", "json");

        Assert.Equal(ExitCodes.Success, result.Code);
        Assert.True(JsonNode.DeepEquals(await _site.StatusAsync(_site.FinishedId), JsonNode.Parse(result.Out)), result.Out);
    }

    [Fact]
    public async Task Show_ExitsNotFound_WhenNoComposeServesTheTask()
    {
        var result = await _cli.RunAsync("compose", "show", "424242");

        Assert.Equal(ExitCodes.NotFound, result.Code);
        Assert.Equal($"kojicomposer compose show: error: no compose serves Koji task 424242 on the service {Service} (is it an osbuildImage task this service took? kojicomposer compose list shows what it has)\n", result.Error);
    }

    [Fact]
    public async Task Show_ExitsNotFound_ForAnUnknownComposeId()
    {
        var id = Guid.NewGuid();

        var result = await _cli.RunAsync("compose", "show", id.ToString());

        Assert.Equal(ExitCodes.NotFound, result.Code);
        Assert.Equal($"kojicomposer compose show: error: no compose {id} on the service {Service} (kojicomposer compose list shows what it has)\n", result.Error);
    }

    [Fact]
    public async Task Show_ExitsUsage_ForSomethingThatIsNeitherIdNorTask()
    {
        var result = await _cli.RunAsync("compose", "show", "Fedora-Cloud-42-1");

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Equal("kojicomposer compose show: error: \"Fedora-Cloud-42-1\" is neither a compose id (a UUID like 0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f) nor a Koji task id (a number)\n", result.Error);
    }

    [Fact]
    public async Task Logs_PrintsTheKojiStepsAndEachImagesStages()
    {
        var status = _site.Finished;
        var build = (long)status["kojicomposer"]!["koji_build_id"]!;
        var nvr = Nvr(status);

        var result = await _cli.RunAsync("compose", "logs", _site.FinishedId);

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        var lines = result.OutLines;
        Assert.Equal(
            [$"Logs of compose {_site.FinishedId} ({nvr})", $"Koji reservation (CGInitBuild): success, build {build}", $"Koji import (CGImport): success, build {build}"],
            lines.Take(3));
        var x86 = lines.ToList().IndexOf(lines.Single(l => l.StartsWith("Image 0 x86_64 guest-image: success (osbuild 191 on ", StringComparison.Ordinal)));
        Assert.Equal(
            [
                "  pipeline build:",
                "    org.osbuild.rpm",
                "      running org.osbuild.rpm",
                "      org.osbuild.rpm: done",
                "  pipeline os:",
                "    org.osbuild.rpm",
                "      running org.osbuild.rpm",
                "      org.osbuild.rpm: done",
                "  pipeline image:",
                "    org.osbuild.noop",
                "      running org.osbuild.noop",
                "      org.osbuild.noop: done",
                "  pipeline qcow2:",
                "    org.osbuild.noop",
                "      running org.osbuild.noop",
                "      org.osbuild.noop: done",
                "  Koji files:",
                $"    {nvr}.x86_64.qcow2 (image, 4096 bytes)",
            ],
            lines.Skip(x86 + 1).Take(18));
        Assert.Contains("  Upload: success", lines);
        Assert.Single(lines, l => l.StartsWith("Image 1 aarch64 guest-image: success (osbuild 191 on ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_OfOneImage_LeavesOutTheOthersAndTheKojiSteps()
    {
        var result = await _cli.RunAsync("compose", "logs", _site.FinishedId, "--image", "aarch64");

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal($"Logs of compose {_site.FinishedId} ({Nvr(_site.Finished)})", result.OutLines[0]);
        Assert.StartsWith("Image 1 aarch64 guest-image: success", result.OutLines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(result.OutLines, l => l.StartsWith("Koji ", StringComparison.Ordinal) || l.StartsWith("Image 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_ExitsNotFound_NamingTheImages_WhenTheImageIsNotThere()
    {
        var result = await _cli.RunAsync("compose", "logs", _site.FinishedId, "--image", "ppc64le");

        Assert.Equal(ExitCodes.NotFound, result.Code);
        Assert.Equal($"kojicomposer compose logs: error: compose {_site.FinishedId} has no image \"ppc64le\": its images are 0 x86_64 guest-image, 1 aarch64 guest-image (--image takes an arch or an index)\n", result.Error);
    }

    [Fact]
    public async Task Logs_InJson_IsTheApisComposeLogs()
    {
        var result = await _cli.RunAsync("compose", "logs", _site.FinishedTask.ToString(CultureInfo.InvariantCulture), "--format", "json");

        Assert.Equal(ExitCodes.Success, result.Code);
        var expected = await _site.Site.GetJsonAsync($"{ComposeSite.Api}/composes/{_site.FinishedId}/logs");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(result.Out)), result.Out);
    }

    [Fact]
    public async Task Manifests_WritesOneFilePerImage_NamedLikeTheTaskAttachments()
    {
        var directory = Path.Combine(_cli.Home, "manifests");
        var expected = (await _site.Site.GetJsonAsync($"{ComposeSite.Api}/composes/{_site.FinishedId}/manifests"))["manifests"]!.AsArray();

        var result = await _cli.RunAsync("compose", "manifests", _site.FinishedTask.ToString(CultureInfo.InvariantCulture), "--output-dir", directory);

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        var x86 = Path.Combine(directory, "x86_64-guest-image.manifest.json");
        var aarch64 = Path.Combine(directory, "aarch64-guest-image.manifest.json");
        Assert.Equal([$"Wrote {x86}", $"Wrote {aarch64}"], result.OutLines);
        Assert.True(JsonNode.DeepEquals(expected[0], JsonNode.Parse(await File.ReadAllTextAsync(x86))));
        Assert.True(JsonNode.DeepEquals(expected[1], JsonNode.Parse(await File.ReadAllTextAsync(aarch64))));
        Assert.Equal("2", (string?)JsonNode.Parse(await File.ReadAllTextAsync(x86))!["version"]);
    }

    [Fact]
    public async Task Manifests_WithoutADirectory_PrintsTheApisObject()
    {
        var result = await _cli.RunAsync("compose", "manifests", _site.FinishedId);

        Assert.Equal(ExitCodes.Success, result.Code);
        var expected = await _site.Site.GetJsonAsync($"{ComposeSite.Api}/composes/{_site.FinishedId}/manifests");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(result.Out)));
        Assert.Equal(2, expected["manifests"]!.AsArray().Count);
    }
}
