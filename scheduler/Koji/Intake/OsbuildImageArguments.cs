using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// The parameters of an <c>osbuildImage</c> task (osbuildimage-task.md §1): <c>name, version, distro, image_type,
/// target, arches, opts</c>, as <c>getTaskInfo(id, request=True)</c> decodes them. <c>opts</c> may come as the 7th
/// positional struct or inside a trailing <c>{"opts": …, "__starstar": true}</c> struct; <c>image_type</c> as a
/// string or a one-element list.
/// </summary>
public sealed record OsbuildImageArguments(
    string Name, string Version, string Distro, string ImageType, string Target, IReadOnlyList<string> Arches, XmlRpcStruct Opts)
{
    /// <summary>Reads the task parameters.</summary>
    /// <exception cref="KojiTaskFailure">1019 ParameterError naming what is wrong.</exception>
    public static OsbuildImageArguments Parse(object?[] request) => throw new NotImplementedException();
}
