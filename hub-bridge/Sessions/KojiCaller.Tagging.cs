using KojiComposer.HubBridge.Calls;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>Tag reads for the tagBuild handler.</summary>
public abstract partial class KojiCaller
{
    /// <summary>
    /// listTags(build=…): the tags a build is in now (koji <c>listTags</c>; an unknown build fails as
    /// <c>getBuild(strict=True)</c> does). The tagBuild handler's check, after a restart, whether an earlier run
    /// tagged the build already.
    /// </summary>
    public async Task<IReadOnlyList<KojiTagInfo>> ListTagsOfBuildAsync(object build, CancellationToken cancellationToken = default) =>
        Values.Array(await ReadAsync("listTags", cancellationToken, Kw(("build", build))).ConfigureAwait(false), "listTags")
            .Select(t => KojiTagInfo.From(t, "listTags")).ToArray();
}
