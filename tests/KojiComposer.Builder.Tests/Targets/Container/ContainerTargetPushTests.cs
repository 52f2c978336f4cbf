using System.Text.RegularExpressions;
using KojiComposer.Testing;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>Pushes to the stack's real docker-registry with the real skopeo (cloud-targets.md §6, §8).</summary>
[Collection(ContainerCollection.Name)]
public sealed partial class ContainerTargetPushTests(OciTestImage image)
{
    [Fact]
    public async Task UploadAsync_PushesTheArchive_AndReturnsTheUrlAndTheDigestTheRegistryServes()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());
        var repository = ContainerTargetRig.UniqueRepository("edge");

        var result = await rig.Target.UploadAsync(rig.Upload(image.Archive, $"{TestStack.Registry}/{repository}", "v1"), CancellationToken.None);

        Assert.Equal($"{TestStack.Registry}/{repository}:v1", result["url"]!.GetValue<string>());
        var digest = result["digest"]!.GetValue<string>();
        Assert.Matches(DigestPattern(), digest);
        Assert.Equal(digest, await ContainerTargetRig.ServedDigestAsync(TestStack.Registry, repository, "v1"));
        Assert.Equal(["url", "digest"], result.Select(p => p.Key));
        Assert.Equal("container: pushed " + result["url"], rig.Progress.Last().Stage);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
    }

    [Fact]
    public async Task UploadAsync_NamesTheImageAfterTheDistribution_WithTheGeneratedUuidAsTag_WhenNoNameIsGiven()
    {
        var prefix = $"kc-test-{Guid.NewGuid():N}";
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain(TestStack.Registry, prefix));
        var uuid = Guid.NewGuid().ToString("D");

        // composer: a tag without a name is ignored.
        var result = await rig.Target.UploadAsync(
            rig.Upload(image.Archive, name: null, tag: "ignored", distribution: "rhel-9.6", generatedName: "composer-api-" + uuid), CancellationToken.None);

        Assert.Equal($"{TestStack.Registry}/{prefix}/rhel-9.6:{uuid}", result["url"]!.GetValue<string>());
        Assert.Equal(result["digest"]!.GetValue<string>(), await ContainerTargetRig.ServedDigestAsync(TestStack.Registry, $"{prefix}/rhel-9.6", uuid));
    }

    [Fact]
    public async Task UploadAsync_PutsDomainAndPathPrefixInFront_WhenTheNameHasNoRegistryHost()
    {
        var prefix = $"kc-test-{Guid.NewGuid():N}/koji";
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain(TestStack.Registry + "/", "/" + prefix + "/"));

        var result = await rig.Target.UploadAsync(rig.Upload(image.Archive, "iot/os", "41.20260101"), CancellationToken.None);

        Assert.Equal($"{TestStack.Registry}/{prefix}/iot/os:41.20260101", result["url"]!.GetValue<string>());
        Assert.Equal(result["digest"]!.GetValue<string>(), await ContainerTargetRig.ServedDigestAsync(TestStack.Registry, $"{prefix}/iot/os", "41.20260101"));
    }

    [Fact]
    public async Task UploadAsync_IgnoresTheDomain_WhenTheNameHasARegistryHost()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain("registry.invalid", "never"));
        var repository = ContainerTargetRig.UniqueRepository("own-host");

        var result = await rig.Target.UploadAsync(rig.Upload(image.Archive, $"{TestStack.Registry}/{repository}", "1"), CancellationToken.None);

        Assert.Equal($"{TestStack.Registry}/{repository}:1", result["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task UploadAsync_PushesTheSameTagAndDigest_WhenTriedAgain()
    {
        // The build step retries a transient failure with the same upload: no second tag may appear.
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain(TestStack.Registry, $"kc-test-{Guid.NewGuid():N}"));
        var upload = rig.Upload(image.Archive, name: null);

        var first = await rig.Target.UploadAsync(upload, CancellationToken.None);
        var second = await rig.Target.UploadAsync(upload, CancellationToken.None);

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        var (registry, repository, _) = ContainerTargetRig.Split(first);
        using var client = new HttpClient();
        var tags = await client.GetStringAsync($"http://{registry}/v2/{repository}/tags/list");
        Assert.Single(TagPattern().Matches(tags));
    }

    [Fact]
    public async Task UploadAsync_PassesNothingSecretAndNoShell_ToSkopeo()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { CertDirectory = image.Directory, RetryTimes = 2 });
        var repository = ContainerTargetRig.UniqueRepository("args");

        await rig.Target.UploadAsync(rig.Upload(image.Archive, $"{TestStack.Registry}/{repository}", "a"), CancellationToken.None);

        var copy = rig.Logs.Lines.Single(l => l.Contains(" started: --tmpdir ", StringComparison.Ordinal) && l.Contains(" copy ", StringComparison.Ordinal));
        Assert.Contains($" copy --retry-times 2 --dest-tls-verify=false --dest-cert-dir {image.Directory} --digestfile ", copy, StringComparison.Ordinal);
        Assert.EndsWith($" oci-archive:{image.Archive} docker://{TestStack.Registry}/{repository}:a", copy, StringComparison.Ordinal);
        var inspect = rig.Logs.Lines.Single(l => l.Contains(" started: --tmpdir ", StringComparison.Ordinal) && l.Contains(" inspect ", StringComparison.Ordinal));
        Assert.EndsWith($" inspect --raw --retry-times 2 --tls-verify=false --cert-dir {image.Directory} docker://{TestStack.Registry}/{repository}:a", inspect, StringComparison.Ordinal);
    }

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex TagPattern();
}
