using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// Tagging from the tagBuild subtask (koji-wire.md §9.6; kojihub <c>HostExports.tagBuild</c>, <c>_tag_build</c>,
/// <c>_direct_tag_build</c>, <c>check_tag_access</c>, <c>tag_notification</c>). Tagging happens as the task's owner.
/// </summary>
internal static class TaggingHandlers
{
    public static void Register(HubSimulator hub)
    {
        hub.Dispatcher.Register("host.tagBuild", TagBuild);
        hub.Dispatcher.Register("host.tagNotification", TagNotification);
    }

    /// <summary>
    /// host.tagBuild(task_id, tag, build, force=False, fromtag=None): the task OPEN and ours; the build's package
    /// must be in the tag's package list (inherited): TagError <c>Package X not in list for T</c> (T as the caller
    /// named the tag) or <c>Package X blocked in T</c>, unless forced by an admin; then the owner's tag access (locked
    /// tag, tag permission), a COMPLETE build, not tagged already unless forced. Records the tag history.
    /// </summary>
    private static object? TagBuild(CallContext call)
    {
        var args = call.Bind("task_id", "tag", "build", "force?", "fromtag?");
        var host = call.RequireHost();
        var task = HostHandlers.OwnedOpenTask(call, host, args.Long("task_id"));
        var build = call.State.FindBuild(args["build"], strict: true)!;
        var tagArg = args["tag"];
        var tag = call.State.FindTag(tagArg) ?? throw TagReadHandlers.NoSuchTag(tagArg);
        var force = args.Bool("force");
        var owner = call.State.Users[task.Owner];
        var ownerIsAdmin = owner.Permissions.Contains("admin");
        SimTag? fromTag = null;
        if (args["fromtag"] is { } from)
        {
            fromTag = call.State.FindTag(from) ?? throw TagReadHandlers.NoSuchTag(from);
        }

        var listing = call.State.PackageListing(tag, build.PackageId);
        var addPackage = false;
        if (listing is null || listing.Blocked)
        {
            var error = listing is null
                ? $"Package {build.Name} not in list for {TagReadHandlers.Str(tagArg)}"
                : $"Package {build.Name} blocked in {TagReadHandlers.Str(tagArg)}";
            if (!(force && call.HasPerm("admin")))
            {
                throw new HubFault(1003, error);
            }

            addPackage = true;
        }

        if (fromTag is not null)
        {
            CheckAccess(fromTag, owner, ownerIsAdmin, force);
            _ = ActiveListing(call.State, fromTag, build) ?? throw new HubFault(1003, $"build {build.Nvr} not in tag {fromTag.Name}");
        }

        CheckAccess(tag, owner, ownerIsAdmin, force);
        if (build.State != BuildState.Complete)
        {
            throw new HubFault(1003, $"build {build.Nvr} not complete: state {build.State.ToString().ToUpperInvariant()}");
        }

        var current = ActiveListing(call.State, tag, build);
        if (current is not null && !force)
        {
            throw new HubFault(1003, $"build {build.Nvr} already tagged ({tag.Name})");
        }

        // Every check passed: now change things.
        if (addPackage)
        {
            call.State.PackageLists.TryAdd(tag.Id, []);
            call.State.PackageLists[tag.Id][build.PackageId] = new SimPackageListing(build.PackageId, owner.Id, Blocked: false);
        }

        var eventId = call.State.NextEvent();
        if (fromTag is not null)
        {
            ActiveListing(call.State, fromTag, build)!.RevokeEvent = eventId;
        }

        if (current is not null)
        {
            current.RevokeEvent = eventId;
        }

        call.State.TagHistory.Add(new SimTagListing { TagId = tag.Id, BuildId = build.Id, CreatorId = owner.Id, CreateEvent = eventId });
        call.Commit();
        return null;
    }

    private static SimTagListing? ActiveListing(HubState state, SimTag tag, SimBuild build) =>
        state.TagHistory.FirstOrDefault(l => l.TagId == tag.Id && l.BuildId == build.Id && l.Active);

    /// <summary>check_tag_access for the task owner: ActionNotAllowed with the reason unless an admin forces it.</summary>
    private static void CheckAccess(SimTag tag, SimUser owner, bool ownerIsAdmin, bool force)
    {
        string? reason = null;
        if (tag.Locked)
        {
            reason = "tag is locked";
        }
        else if (tag.Perm is { } perm && !owner.Permissions.Contains(perm))
        {
            reason = $"tag requires {perm} permission";
        }

        if (reason is not null && !(ownerIsAdmin && force))
        {
            throw HubFault.NotAllowed(reason);
        }
    }

    /// <summary>
    /// host.tagNotification(is_successful, tag_id, from_id, build_id, user_id, ignore_success=False, failure_msg=''):
    /// nobody is subscribed on the simulated hub, so no notification task is made; the call is recorded.
    /// </summary>
    private static object? TagNotification(CallContext call)
    {
        var args = call.Bind("is_successful", "tag_id", "from_id", "build_id", "user_id", "ignore_success?", "failure_msg?");
        call.RequireHost();
        call.State.TagNotifications.Add(
        [
            args.Bool("is_successful"), args["tag_id"], args["from_id"], args["build_id"], args["user_id"],
            args.Bool("ignore_success"), args["failure_msg"] ?? string.Empty,
        ]);
        return null;
    }
}
