using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Host;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>The tagBuild subtask (osbuildimage-task.md §8, koji-wire.md §9.6), made by a parent and run by the loop.</summary>
public sealed class TagBuildTaskHandlerTests
{
    /// <summary>An osbuildImage stand-in that does what our real one does at the end: the tagBuild subtask and its wait.</summary>
    private sealed class Parent(long tagId, long buildId)
    {
        public long? Sub { get; private set; }

        public IReadOnlyList<(long Task, object? Result)>? Results { get; private set; }

        public KojiFaultException? Fault { get; private set; }

        public async Task<KojiTaskOutcome> RunAsync(KojiTaskContext context, CancellationToken shutdown)
        {
            var session = context.Session;
            var sub = await session.SubtaskAsync("tagBuild", [tagId, buildId, false, null, true], context.TaskId, "tag", cancellationToken: shutdown);
            Sub = sub;
            await session.TaskSetWaitAsync(context.TaskId, [sub], shutdown);
            while ((await session.TaskWaitAsync(context.TaskId, shutdown)).Unfinished.Count > 0)
            {
                await Task.Delay(50, shutdown); // the handler's own pace of asking, as kojid polls taskWait
            }

            try
            {
                Results = await session.TaskWaitResultsAsync(context.TaskId, [sub], shutdown);
                return new KojiTaskOutcome.Closed(null);
            }
            catch (KojiFaultException fault)
            {
                Fault = fault;
                return new KojiTaskOutcome.Failed(fault.FaultCode, fault.FaultString);
            }
        }
    }

    private static (SimBuild Build, Parent Parent, FakeTaskHandler Images) Seed(HostLoopSite site, bool listPackage)
    {
        SimBuild build = null!;
        site.Seed(s =>
        {
            build = s.AddBuild("Fedora-Cloud", "42", "1", "releng");
            if (listPackage)
            {
                s.AddPackage("f42", "Fedora-Cloud", "releng");
            }
        });
        var parent = new Parent(site.DestTag.Id, build.Id);
        return (build, parent, new FakeTaskHandler { Behaviour = parent.RunAsync });
    }

    [Fact]
    public async Task TagBuildSubtask_RunByTheLoop_TagsTheBuild_Notifies_AndTheParentGetsANullResult()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var (build, parent, images) = Seed(site, listPackage: true);
        var id = site.CreateTask();

        site.Start(journal, handlers: [images, new TagBuildTaskHandler()]);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the parent task is finished");

        var sub = parent.Sub!.Value;
        Assert.Equal([(sub, (object?)null)], parent.Results);
        Assert.Equal(TaskState.Closed, site.TaskRow(id).State);
        Assert.Equal(TaskState.Closed, site.TaskRow(sub).State);
        Assert.Null(await releng.GetTaskResultAsync(sub));
        var listing = Assert.Single(site.Read(s => s.TagHistory.ToList()));
        Assert.Equal((site.DestTag.Id, build.Id, site.Simulated.Releng.Id, true), (listing.TagId, listing.BuildId, listing.CreatorId, listing.Active));
        var notification = Assert.Single(site.Read(s => s.TagNotifications.ToList()));
        Assert.Equal([true, site.DestTag.Id, null, build.Id, site.Simulated.Releng.Id, true, string.Empty], notification.Select(Plain));
        Assert.Equal(0.1, Assert.Single(site.CallsFor("host.setTaskWeight", sub)).Params[1]);
        Assert.IsType<KojiTaskOutcome.Closed>(journal[sub]!.Outcome);
    }

    [Fact]
    public async Task PackageNotInTheTagsList_FailsTheSubtaskWithTheHubsTagError_WhichTheParentsWaitRaises()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var (build, parent, images) = Seed(site, listPackage: false);
        var id = site.CreateTask();

        site.Start(journal, handlers: [images, new TagBuildTaskHandler()]);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the parent task is finished");

        var text = $"Package Fedora-Cloud not in list for {site.DestTag.Id}";
        var sub = parent.Sub!.Value;
        Assert.Equal(TaskState.Failed, site.TaskRow(sub).State);
        var stored = await Assert.ThrowsAsync<KojiTagErrorFault>(() => releng.GetTaskResultAsync(sub));
        Assert.Equal((1003, text), (stored.FaultCode, stored.FaultString));
        var raised = Assert.IsType<KojiTagErrorFault>(parent.Fault);
        Assert.Equal(text, raised.FaultString);
        Assert.Null(parent.Results);
        Assert.Empty(site.Read(s => s.TagHistory.ToList()));
        var notification = Assert.Single(site.Read(s => s.TagNotifications.ToList()));
        Assert.Equal([false, site.DestTag.Id, null, build.Id, site.Simulated.Releng.Id, true, $"TagError: {text}"], notification.Select(Plain));
        Assert.Equal(new KojiTaskOutcome.Failed(1003, text), journal[sub]!.Outcome);
    }

    [Fact]
    public async Task ResumedAfterTheBuildWasTagged_NotifiesAndCloses_WhereAFreshRunIsRefusedAsAlreadyTagged()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        SimBuild build = null!;
        site.Seed(s =>
        {
            build = s.AddBuild("Fedora-Cloud", "42", "1", "releng");
            s.AddPackage("f42", "Fedora-Cloud", "releng");
        });
        // Keyword parameters, as a parent may send them: tag_id, build_id, then ignore_success=True.
        var id = site.CreateTask("tagBuild", [site.DestTag.Id, build.Id, new XmlRpcStruct { ["ignore_success"] = true, ["__starstar"] = true }]);
        site.Seed(s =>
        {
            s.Tasks[id].State = TaskState.Assigned;
            s.Tasks[id].HostId = site.Builder1.Id;
        });
        Assert.NotNull(await host.OpenTaskAsync(id));
        await host.HostTagBuildAsync(id, site.DestTag.Id, build.Id); // the run before the restart got this far
        var info = (await host.GetTaskInfoAsync(id, request: true))!;
        var handler = new TagBuildTaskHandler();

        var fresh = await handler.RunAsync(Context(host, info, resumed: false), CancellationToken.None);
        var resumed = await handler.RunAsync(Context(host, info, resumed: true), CancellationToken.None);

        Assert.Equal(new KojiTaskOutcome.Failed(1003, "build Fedora-Cloud-42-1 already tagged (f42)"), fresh);
        Assert.Equal(new KojiTaskOutcome.Closed(null), resumed);
        Assert.Equal(2, site.CallsFor("host.tagBuild", id).Count);
        Assert.Single(site.Read(s => s.TagHistory.ToList()));
        var notifications = site.Read(s => s.TagNotifications.ToList());
        Assert.Equal(2, notifications.Count);
        Assert.Equal([false, site.DestTag.Id, null, build.Id, site.Simulated.Releng.Id, true, "TagError: build Fedora-Cloud-42-1 already tagged (f42)"], notifications[0].Select(Plain));
        Assert.Equal([true, site.DestTag.Id, null, build.Id, site.Simulated.Releng.Id, true, string.Empty], notifications[1].Select(Plain));
    }

    [Fact]
    public async Task ParametersThatAreNoIds_FailTheTaskWithAParameterError_BeforeAnyHubCall()
    {
        var info = new KojiTaskInfo(5, KojiTaskState.Open, "tagBuild", "noarch", 1, 4, 2, 7, 19, 0.1, false, "tag",
            new XmlRpcStruct { ["request"] = new object?[] { "f42" } });
        var context = new KojiTaskContext { TaskId = 5, Task = info, HostId = 1, Session = null!, Stopped = CancellationToken.None };

        var outcome = await new TagBuildTaskHandler().RunAsync(context, CancellationToken.None);

        Assert.Equal(new KojiTaskOutcome.Failed(1019, "tagBuild task 5: tagBuild parameter tag_id must be an id (an integer), not f42"), outcome);
    }

    private static KojiTaskContext Context(HubBridge.Sessions.KojiSession host, KojiTaskInfo info, bool resumed) => new()
    {
        TaskId = info.Id,
        Task = info,
        HostId = info.HostId!.Value,
        Session = host,
        Resumed = resumed,
        Stopped = CancellationToken.None,
    };

    private static object? Plain(object? value) => value is int i ? (long)i : value;
}
