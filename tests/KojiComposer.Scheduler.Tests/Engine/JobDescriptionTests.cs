using System.Reflection;
using Hangfire;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Jobs;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.TestHost;

namespace KojiComposer.Scheduler.Tests.Engine;

public sealed class JobDescriptionTests
{
    [Fact]
    public void Descriptions_NameTheBuildArchTypeAndTask_AsOperatorsSeeThemOnTheDashboard()
    {
        var compose = Stored(Composes.Koji(["x86_64"], ["qcow2"]) with { KojiTaskId = 1234 });

        Assert.Equal("reserve Fedora-Cloud-42-1 (task 1234)", JobDescriptions.Init(compose));
        Assert.Equal("build Fedora-Cloud-42-1 x86_64 qcow2 (task 1234)", JobDescriptions.Image(compose, compose.Images[0]));
        Assert.Equal("import Fedora-Cloud-42-1 (task 1234)", JobDescriptions.Finalize(compose));
    }

    [Fact]
    public void Descriptions_NameTheComposeId_WhenThereIsNoKojiTask()
    {
        var compose = Stored(Composes.Koji(["aarch64"], ["guest-image"]) with { KojiTaskId = null });

        Assert.Equal($"build Fedora-Cloud-42-1 aarch64 guest-image (compose {compose.Id.ToString("N")[^8..]})", JobDescriptions.Image(compose, compose.Images[0]));
    }

    [Fact]
    public void ShortIds_TellApartComposesCreatedInTheSameMinute()
    {
        var now = DateTimeOffset.UtcNow;
        var a = Stored(Composes.Koji()) with { Id = Guid.CreateVersion7(now) };
        var b = Stored(Composes.Koji()) with { Id = Guid.CreateVersion7(now) };

        Assert.Equal(a.Id.ToString()[..8], b.Id.ToString()[..8]);
        Assert.NotEqual(a.ShortId, b.ShortId);
        Assert.EndsWith(a.ShortId, a.Id.ToString("N"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(InitJob))]
    [InlineData(typeof(ImageJob))]
    [InlineData(typeof(FinalizeJob))]
    public void Jobs_AreShownByTheirDescription(Type job)
    {
        var run = job.GetMethod("RunAsync")!;

        Assert.Equal("{0}", run.GetCustomAttribute<JobDisplayNameAttribute>()!.DisplayName);
        Assert.Equal("description", run.GetParameters()[0].Name);
    }

    private static Compose Stored(NewCompose request) => new()
    {
        Id = Guid.NewGuid(),
        Name = request.Name,
        Version = request.Version,
        Release = request.Release,
        Distribution = request.Distribution,
        KojiTaskId = request.KojiTaskId,
        Seed = request.Seed,
        State = ComposeState.Pending,
        InitState = StepState.Pending,
        FinalizeState = StepState.Pending,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Images = request.Images.Select((i, n) => new ComposeImage { Index = n, Arch = i.Arch, ImageType = i.ImageType, ImageRequest = i.ImageRequest, State = ImageState.Pending }).ToList(),
    };
}
