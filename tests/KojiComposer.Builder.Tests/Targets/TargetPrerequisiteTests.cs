using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Tests.Worker;
using KojiComposer.Builder.Worker;
using KojiComposer.Config;

namespace KojiComposer.Builder.Tests.Targets;

/// <summary>The worker's start-up check of its cloud targets: a configured target must be usable, an unconfigured one
/// is not looked at (a worker that never builds containers needs no skopeo).</summary>
public sealed class TargetPrerequisiteTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("kc-target-check-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task CheckAsync_Refuses_NamingTheTargetAndTheProblem_WhenAConfiguredTargetCannotWork()
    {
        var targets = Set(configured: ["container"], new FakeTarget("container") { Problems = ["[builder.targets.container] skopeo: not found"] });

        var e = await Assert.ThrowsAsync<BuilderPrerequisiteException>(() => CheckAsync(targets));

        Assert.Equal("target container: [builder.targets.container] skopeo: not found", e.Message);
    }

    [Fact]
    public async Task CheckAsync_IgnoresTheProblemsOfTargetsWithoutASection()
    {
        var targets = Set(configured: ["aws", "aws.s3"],
            new FakeTarget("container") { Problems = ["[builder.targets.container] skopeo: not found"] },
            new FakeTarget("aws"));

        var advertised = await CheckAsync(targets);

        Assert.Equal("191", advertised.OsbuildVersion);
    }

    [Fact]
    public async Task CheckAsync_ListsEveryProblem_OfEveryConfiguredTarget_Once()
    {
        var shared = "[builder.targets.aws] credentials: profile \"default\" not found";
        var targets = Set(configured: ["aws", "aws.s3", "gcp"],
            new FakeTarget("aws") { Problems = [shared] },
            new FakeTarget("aws.s3") { Problems = [shared] },
            new FakeTarget("gcp") { Problems = ["no bucket", "no project"] });

        var e = await Assert.ThrowsAsync<BuilderPrerequisiteException>(() => CheckAsync(targets));

        Assert.Equal(
            $"target aws: {shared}; target aws.s3: {shared}; target gcp: no bucket; target gcp: no project",
            e.Message);
    }

    private static UploadTargetSet Set(string[] configured, params IUploadTarget[] targets) =>
        new(new TargetsOptions { Configured = configured.ToHashSet(StringComparer.Ordinal) }, targets);

    private Task<Contracts.Builders.BuilderAdvertisement> CheckAsync(UploadTargetSet targets) =>
        BuilderPrerequisites.CheckAsync(
            new BuilderSettings
            {
                Osbuild = "/bin/true",
                StoreDirectory = Path.Combine(_root.FullName, "store"),
                WorkDirectory = Path.Combine(_root.FullName, "work"),
                Generator = new ManifestGeneratorSettings { Command = "/bin/true" },
            },
            new FakeOsbuildRunner(),
            new FakeManifestGenerator(),
            ["x86_64"],
            CancellationToken.None,
            targets);
}
