using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>Create, get, find, list and count.</summary>
public abstract partial class ComposeStoreConformanceTests
{
    [Fact]
    public async Task Create_StoresPendingComposeWithPendingImages_InRequestOrder()
    {
        var request = Sample(images: 3, kojiTask: 77);
        var (compose, created) = await Store.CreateAsync(request, T0, CancellationToken.None);

        Assert.True(created);
        var stored = await GetAsync(compose.Id);
        Assert.Equal("Fedora-Cloud-42-1", stored.Nvr);
        Assert.Equal("fedora-42", stored.Distribution);
        Assert.Equal(77, stored.KojiTaskId);
        Assert.Equal("https://koji.example/kojihub", stored.KojiServer);
        Assert.Equal(1234567890123, stored.Seed);
        Assert.Equal("releng", stored.SubmittedBy);
        Assert.Equal(ComposeState.Pending, stored.State);
        Assert.Equal(StepState.Pending, stored.InitState);
        Assert.Equal(StepState.Pending, stored.FinalizeState);
        Assert.Null(stored.Reservation);
        Assert.False(stored.CancelRequested);
        Assert.Equal(0, stored.Generation);
        Assert.Equal(T0, stored.CreatedAt);
        Assert.Equal(T0, stored.UpdatedAt);
        Assert.Null(stored.FinishedAt);
        Assert.Equal([0, 1, 2], stored.Images.Select(i => i.Index));
        Assert.Equal(["x86_64", "aarch64", "x86_64"], stored.Images.Select(i => i.Arch));
        Assert.All(stored.Images, i =>
        {
            Assert.Equal(ImageState.Pending, i.State);
            Assert.Equal("guest-image", i.ImageType);
            Assert.Equal(0, i.Attempts);
            Assert.Empty(i.Uploads);
        });
        Assert.Equal(compose.Id, stored.Id);
    }

    [Fact]
    public async Task Create_ReturnsExistingCompose_WhenKojiTaskAlreadyHasOne()
    {
        var (first, _) = await Store.CreateAsync(Sample(kojiTask: 501), T0, CancellationToken.None);

        var (second, created) = await Store.CreateAsync(Sample(images: 1, kojiTask: 501, name: "Other"), T0.AddMinutes(5), CancellationToken.None);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Fedora-Cloud", second.Name);
        Assert.Equal(2, second.Images.Count);
        Assert.Equal(1, (await Store.ListAsync(new ComposeQuery(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Create_ReturnsOneCompose_WhenSameKojiTaskIsSubmittedConcurrently()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.CreateAsync(Sample(kojiTask: 900), T0, CancellationToken.None))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Compose.Id).Distinct());
        Assert.Equal(1, (await Store.ListAsync(new ComposeQuery(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Create_AllowsManyComposes_WithoutKojiTask()
    {
        await CreateAsync();
        await CreateAsync();

        Assert.Equal(2, (await Store.ListAsync(new ComposeQuery(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Create_Throws_WhenNoImagesOrAFieldIsEmpty()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(Sample() with { Images = [] }, T0, CancellationToken.None));
        var nameError = await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(Sample() with { Name = "" }, T0, CancellationToken.None));
        Assert.Contains("name", nameError.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(Sample() with { Distribution = " " }, T0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(
            Sample() with { Images = [new NewComposeImage("", "guest-image", [])] }, T0, CancellationToken.None));

        Assert.Equal(0, (await Store.ListAsync(new ComposeQuery(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Get_ReturnsNull_WhenComposeIsUnknown()
    {
        await CreateAsync();

        Assert.Null(await Store.GetAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task FindByKojiTask_ReturnsTheTasksCompose_OrNull()
    {
        var id = await CreateAsync(kojiTask: 1001);
        await CreateAsync(kojiTask: 1002);

        Assert.Equal(id, (await Store.FindByKojiTaskAsync(1001, CancellationToken.None))?.Id);
        Assert.Null(await Store.FindByKojiTaskAsync(1003, CancellationToken.None));
    }

    [Fact]
    public async Task JsonFields_RoundTrip()
    {
        var request = Sample(kojiTask: 31);
        var id = await CreateAsync(kojiTask: 31);
        Assert.True((await ClaimAsync(StepRef.Init(id), Scheduler, T0)).HoldsLease);
        var initError = new JobError(JobErrorCodes.KojiInit, "CGInitBuild failed", new JsonObject { ["fault"] = 1000, ["text"] = "build exists" });
        await Store.CompleteInitAsync(id, Scheduler, null, initError, false, T0.AddSeconds(1), CancellationToken.None);

        var stored = await GetAsync(id);
        AssertJsonEqual(request.Customizations, stored.Customizations);
        AssertJsonEqual(request.Request, stored.Request);
        AssertJsonEqual(request.Images[1].ImageRequest, stored.Images[1].ImageRequest);
        AssertJsonEqual(initError.ToJson(), stored.InitError?.ToJson());
        AssertJsonEqual(new JsonArray(initError.ToJson()), stored.Images[0].Error?.Details);
    }

    [Fact]
    public async Task ImageOutcomeAndProgress_RoundTrip()
    {
        var id = await CreateReservedAsync(images: 1);
        var image = StepRef.Image(id, 0);
        Assert.True((await ClaimAsync(image, Builder, T0.AddMinutes(1))).HoldsLease);
        var progress = new ImageProgress(3, 7, "org.osbuild.rpm", 12, 40);
        await Store.RenewAsync(image, Builder, T0.AddMinutes(2), Lease, ImageState.Uploading, progress, CancellationToken.None);
        var uploads = new List<UploadResult>
        {
            new("koji", true, new JsonObject { ["build_id"] = 4242, ["name"] = "disk.qcow2" }),
            new("aws", false, new JsonObject { ["region"] = "us-east-1", ["ami"] = null }),
        };
        var error = new JobError(JobErrorCodes.TargetError, "at least one target failed", new JsonArray(new JsonObject { ["target"] = "aws" }));
        var outcome = ImageBuildOutcome.Failed(error, uploads, manifest: "{\"pipelines\":[]}", result: "{\"success\":false}");

        await Store.CompleteImageAsync(image, Builder, ImageState.Failure, error, outcome, T0.AddMinutes(3), CancellationToken.None);

        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(ImageState.Failure, stored.State);
        Assert.Equal(progress, stored.Progress);
        AssertJsonEqual(error.ToJson(), stored.Error?.ToJson());
        Assert.Equal(2, stored.Uploads.Count);
        Assert.Equal(["koji", "aws"], stored.Uploads.Select(u => u.Type));
        Assert.Equal([true, false], stored.Uploads.Select(u => u.Success));
        AssertJsonEqual(uploads[1].Options, stored.Uploads[1].Options);
        AssertJsonEqual(JsonNode.Parse("{\"pipelines\":[]}"), JsonNode.Parse(stored.Manifest!));
        AssertJsonEqual(JsonNode.Parse("{\"success\":false}"), JsonNode.Parse(stored.Result!));
        Assert.Equal(T0.AddMinutes(1), stored.StartedAt);
        Assert.Equal(T0.AddMinutes(3), stored.FinishedAt);
        Assert.Equal(Builder, stored.Worker);
    }

    [Fact]
    public async Task Reservation_TokenRoundTrips_AndStaysOutOfItsText()
    {
        var id = await CreateReservedAsync();

        var stored = await GetAsync(id);
        Assert.Equal(new Reservation(4242, Token), stored.Reservation);
        Assert.DoesNotContain(Token, stored.Reservation!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FiltersByState()
    {
        var pending = await CreateAsync();
        var running = await CreateReservedAsync();

        var page = await Store.ListAsync(new ComposeQuery { State = ComposeState.Running }, CancellationToken.None);

        Assert.Equal([running], page.Items.Select(c => c.Id));
        Assert.Equal(1, page.Total);
        Assert.Equal([pending], (await Store.ListAsync(new ComposeQuery { State = ComposeState.Pending }, CancellationToken.None)).Items.Select(c => c.Id));
    }

    [Fact]
    public async Task List_FiltersByNvrSubstring_IgnoringCase()
    {
        var cloud = await CreateAsync(name: "Fedora-Cloud");
        var iot = await CreateAsync(name: "Fedora-IoT");
        await CreateAsync(name: "CentOS-Stream");

        var page = await Store.ListAsync(new ComposeQuery { Nvr = "fedora-" }, CancellationToken.None);
        Assert.Equal(2, page.Total);
        Assert.Equal(new HashSet<Guid> { cloud, iot }, page.Items.Select(c => c.Id).ToHashSet());

        var exact = await Store.ListAsync(new ComposeQuery { Nvr = "IOT-42-1" }, CancellationToken.None);
        Assert.Equal([iot], exact.Items.Select(c => c.Id));

        // The filter is text, not a pattern: '%' and '_' match only themselves.
        Assert.Equal(0, (await Store.ListAsync(new ComposeQuery { Nvr = "%" }, CancellationToken.None)).Total);
        Assert.Equal(0, (await Store.ListAsync(new ComposeQuery { Nvr = "Fedora_Cloud" }, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task List_FiltersByKojiTask()
    {
        await CreateAsync(kojiTask: 10);
        var wanted = await CreateAsync(kojiTask: 11);

        var page = await Store.ListAsync(new ComposeQuery { KojiTaskId = 11 }, CancellationToken.None);

        Assert.Equal([wanted], page.Items.Select(c => c.Id));
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task List_FiltersByCreatedAfter_Inclusive()
    {
        await CreateAsync(at: T0);
        var atCut = await CreateAsync(at: T0.AddHours(1));
        var later = await CreateAsync(at: T0.AddHours(2));

        var page = await Store.ListAsync(new ComposeQuery { CreatedAfter = T0.AddHours(1) }, CancellationToken.None);

        Assert.Equal([later, atCut], page.Items.Select(c => c.Id));
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task List_PagesNewestFirst_WithTotalOfAllMatches()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync(images: 1 + (i % 2), at: T0.AddMinutes(i)));
        }

        var first = await Store.ListAsync(new ComposeQuery { Limit = 2 }, CancellationToken.None);
        var second = await Store.ListAsync(new ComposeQuery { Limit = 2, Offset = 2 }, CancellationToken.None);
        var last = await Store.ListAsync(new ComposeQuery { Limit = 2, Offset = 4 }, CancellationToken.None);

        Assert.Equal([ids[4], ids[3]], first.Items.Select(c => c.Id));
        Assert.Equal([ids[2], ids[1]], second.Items.Select(c => c.Id));
        Assert.Equal([ids[0]], last.Items.Select(c => c.Id));
        Assert.All([first, second, last], p => Assert.Equal(5, p.Total));
        Assert.Equal([1, 2], first.Items.Select(c => c.Images.Count));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListAsync(new ComposeQuery { Limit = 0 }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListAsync(new ComposeQuery { Limit = 1001 }, CancellationToken.None));
    }

    [Fact]
    public async Task List_CombinesFilters()
    {
        await CreateAsync(name: "Fedora-Cloud", at: T0);
        var wanted = await CreateAsync(name: "Fedora-Cloud", at: T0.AddHours(1));
        await CreateAsync(name: "Fedora-IoT", at: T0.AddHours(1));

        var page = await Store.ListAsync(new ComposeQuery { Nvr = "cloud", CreatedAfter = T0.AddMinutes(30), State = ComposeState.Pending }, CancellationToken.None);

        Assert.Equal([wanted], page.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Count_CountsComposesByState_AndImagesByStateAndArch()
    {
        await CreateAsync(images: 3);
        var running = await CreateReservedAsync(images: 2);
        await BuildAsync(running, 0);

        var counts = await Store.CountAsync(CancellationToken.None);

        Assert.Equal(1, counts.Composes[ComposeState.Pending]);
        Assert.Equal(1, counts.Composes[ComposeState.Running]);
        Assert.Equal(0, counts.Composes[ComposeState.Success]);
        Assert.Equal(2, counts.Images[(ImageState.Pending, "x86_64")]);
        Assert.Equal(2, counts.Images[(ImageState.Pending, "aarch64")]);
        Assert.Equal(1, counts.Images[(ImageState.Success, "x86_64")]);
        Assert.Equal(5, counts.Images.Values.Sum());
    }
}
