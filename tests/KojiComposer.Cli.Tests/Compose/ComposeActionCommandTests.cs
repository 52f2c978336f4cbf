using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.Cli.Tests.Compose;

/// <summary><c>compose cancel|retry-failed</c> (and <c>show</c> of a running compose) against kojicomposerd: a Koji
/// task's compose canceled while its s390x image builds, an API compose canceled and retried, a finished compose
/// that cannot be canceled.</summary>
[Collection(ComposeSiteCollection.Name)]
public sealed class ComposeActionCommandTests : IDisposable
{
    private readonly ComposeSite _site;
    private readonly CliHarness _cli = new();

    public ComposeActionCommandTests(ComposeSite site)
    {
        _site = site;
        _cli.WriteProfile(site.Site.Hub.Url, site.Site.Api.BaseAddress);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Cancel_OfAFinishedCompose_ExitsServiceError_WithTheServicesReason()
    {
        var result = await _cli.RunAsync("compose", "cancel", _site.FinishedId);

        Assert.Equal(ExitCodes.ServiceError, result.Code);
        Assert.Equal("", result.Out);
        Assert.Equal($"kojicomposer compose cancel: error: compose {_site.FinishedId} ({_site.Finished["kojicomposer"]!["nvr"]}) was not canceled: Compose has already finished (it ended: success)\n", result.Error);
    }

    [Fact]
    public async Task Cancel_OfARunningKojiTaskCompose_SaysTheTaskWillFail_AndRetryFailedSendsTheUserToKoji()
    {
        var task = await _site.Site.SubmitAsync(["s390x"]);
        var running = await ComposeSite.WaitAsync(() => _site.ForTaskAsync(task), s => ComposeSite.ImageState(s) == "building" && s["kojicomposer"]!["images"]![0]!["progress"] is not null, $"task {task}'s s390x image building, with progress");
        var id = (string)running["id"]!;
        var nvr = (string)running["kojicomposer"]!["nvr"]!;
        var taskText = task.ToString(CultureInfo.InvariantCulture);

        var show = await _cli.RunAsync("compose", "show", taskText);
        var cancel = await _cli.RunAsync("compose", "cancel", taskText);
        var row = await _site.Site.WaitForTaskAsync(task, seconds: 60);
        var retry = await _cli.RunAsync("compose", "retry-failed", taskText);

        Assert.Equal("  State:        running", show.OutLines[1]);
        Assert.Matches(@"^    0  s390x  guest-image  building \(\d+/\d+(, [^)]+)?\)  attempt 1  on kc-e2e:\S+$", show.OutLines.Single(l => l.StartsWith("    0  ", StringComparison.Ordinal)));
        Assert.True(cancel.Code == ExitCodes.Success, cancel.ToString());
        Assert.Equal(
            [
                $"Cancel requested for compose {id} ({nvr})",
                $"Koji task {task} will fail: the compose it waits for is canceled",
            ],
            cancel.OutLines);
        Assert.Equal(TaskState.Failed, row.State);
        Assert.Contains($"Compose failed (id: {id}): canceled on KojiComposer", row.Result, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ServiceError, retry.Code);
        Assert.Equal(
            $"kojicomposer compose retry-failed: error: compose {id} ({nvr}) was not retried: Compose has no failed or canceled images to retry, or is still running: "
            + "this compose serves a Koji task, which ended with it: resubmit the task in Koji (koji osbuild-image, or Pungi) to build again\n",
            retry.Error);
    }

    [Fact]
    public async Task RetryFailed_OfACanceledApiCompose_ResetsItsImages()
    {
        var (id, task) = await _site.SubmitApiComposeAsync("s390x", "api.1");
        await ComposeSite.WaitAsync(() => _site.StatusAsync(id)!, s => ComposeSite.ImageState(s) == "building", "the API compose's s390x image building");

        var cancel = await _cli.RunAsync("compose", "cancel", id);
        var canceled = await ComposeSite.WaitAsync(() => _site.StatusAsync(id)!, s => ComposeSite.State(s) == "canceled", "the API compose canceled");
        var show = await _cli.RunAsync("compose", "show", id);
        var retry = await _cli.RunAsync("compose", "retry-failed", id);
        var again = await _site.StatusAsync(id);
        using var cleanup = await _site.Site.Api.PostAsync($"{ComposeSite.Api}/composes/{id}/cancel", null);

        Assert.True(cancel.Code == ExitCodes.Success, cancel.ToString());
        Assert.Equal([$"Cancel requested for compose {id} (Fedora-Cloud-42-api.1)", $"Koji task {task} will fail: the compose it waits for is canceled"], cancel.OutLines);
        Assert.Equal("canceled", ComposeSite.ImageState(canceled));
        Assert.Equal("  State:        canceled", show.OutLines[1]);
        Assert.Equal($"  Koji task:    {task}  https://koji.example.com/koji/taskinfo?taskID={task}", show.OutLines[3]);
        Assert.True(retry.Code == ExitCodes.Success, retry.ToString());
        Assert.Equal(["1 image(s) reset; the compose builds them again"], retry.OutLines);
        Assert.NotEqual("canceled", ComposeSite.State(again));
    }
}
