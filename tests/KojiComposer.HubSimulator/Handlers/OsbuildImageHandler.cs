namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// The koji-osbuild hub plugin's <c>osbuildImage(name, version, distro, image_type, target, arches, opts=None,
/// priority=None)</c> (osbuildimage-task.md §1): permission <c>image</c> (or admin), schema validation of the seven
/// arguments, <c>["x"]</c> → <c>"x"</c>, negative priority only for admins, then a FREE task in channel
/// <c>image</c>, arch noarch, priority 20, owned by the caller. The target is not checked by the hub (the builder
/// checks it); the priority argument is never used.
/// </summary>
internal static class OsbuildImageHandler
{
    public static void Register(HubSimulator hub) => hub.Dispatcher.Register("osbuildImage", OsbuildImage);

    private static object? OsbuildImage(CallContext call)
    {
        var args = call.Bind("name", "version", "distro", "image_type", "target", "arches", "opts?", "priority?");
        if (!call.HasPerm("image") && !call.HasPerm("admin"))
        {
            var who = call.User is { } user ? $"logged in as {user.Name}" : "user not logged in";
            throw HubFault.NotAllowed($"image permission required ({who})");
        }

        object?[] arglist = [args["name"], args["version"], args["distro"], args["image_type"], args["target"], args["arches"], args["opts"]];
        if (OsbuildImageSchema.Validate(arglist, OsbuildImageSchema.Arguments) is { } error)
        {
            throw HubFault.Parameter(error);
        }

        if (arglist[3] is object?[] types)
        {
            arglist[3] = types[0];
        }

        // The plugin tests `priority and priority < 0`: a number below zero, and only admins may.
        if (args["priority"] is int or long && Convert.ToInt64(args["priority"], System.Globalization.CultureInfo.InvariantCulture) < 0 && !call.HasPerm("admin"))
        {
            throw HubFault.NotAllowed("only admins may create high-priority tasks");
        }

        var task = call.State.CreateTask("osbuildImage", arglist, call.Now, owner: call.User!.Id, channel: "image");
        call.Commit();
        return task.Id;
    }
}
