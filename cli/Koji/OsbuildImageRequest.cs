using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Cli.Koji;

/// <summary>What <c>osbuild-image</c> asks the hub for: the <c>osbuildImage</c> arguments in their wire order
/// (note: DISTRO comes before TARGET on the command line, IMAGE_TYPE before TARGET on the wire), and whether to
/// wait (null: only in the foreground).</summary>
internal sealed record OsbuildImageRequest(
    string Name, string Version, string Distro, string ImageType, string Target, IReadOnlyList<string> Arches, XmlRpcStruct Opts, bool? Wait);
