using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Azure;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Testing;
using Xunit;

namespace KojiComposer.Builder.Tests.Targets.Azure;

/// <summary>
/// The azure target's blob side against the real azurite of the test stack, with an in-memory fake of the
/// management calls (ARM itself is exercised over HTTPS in <see cref="AzureResourceManagerTests"/>).
/// </summary>
public sealed class AzureImageTargetTests : IDisposable
{
    private readonly AzureTestRig _rig = new();
    private readonly FakeManagement _management = new();

    public AzureImageTargetTests() => _management.Accounts.Add(FakeManagement.Tagged("westeurope"));

    public void Dispose() => _rig.Dispose();

    private AzureImageTarget Target(int threads = 2) => _rig.Target(_rig.Options(threads: threads), _rig.Hooks((_, _) => _management));

    [Fact]
    public async Task UploadAsync_StoresTheVhdAsPageBlobWithContentMd5_AndCreatesTheImage()
    {
        var vhd = _rig.WriteVhd();

        var result = await Target().UploadAsync(_rig.Upload(vhd), CancellationToken.None);

        Assert.Equal(_rig.ImageName, result["image_name"]!.GetValue<string>());
        var blob = AzureTestRig.Blob(_rig.ImageName);
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(BlobType.Page, properties.BlobType);
        Assert.Equal(new FileInfo(vhd).Length, properties.ContentLength);
        Assert.Equal(AzureTestRig.Md5(vhd), properties.ContentHash);
        var content = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(File.ReadAllBytes(vhd), content);

        // Only the three data pages went over the wire; the two zero pages are not stored at all.
        Assert.Equal(3, _rig.Pages.Sent);
        var file = File.ReadAllBytes(vhd);
        Assert.Equal(
            new[] { (0, 4 * AzureTestRig.Mib), (8 * AzureTestRig.Mib, 4 * AzureTestRig.Mib), (16 * AzureTestRig.Mib, AzureTestRig.Mib + 512) }
                .Select(p => ($"bytes={p.Item1}-{p.Item1 + p.Item2 - 1}", Convert.ToBase64String(MD5.HashData(file.AsSpan(p.Item1, p.Item2)))))
                .Order(),
            _rig.Pages.PageHeaders.Order()); // each page carried its own MD5
        var ranges = new List<(long, long?)>();
        await foreach (var range in blob.GetAllPageRangesAsync())
        {
            ranges.Add((range.Range.Offset, range.Range.Length));
        }

        Assert.DoesNotContain(ranges, r => r.Item1 < 8L * AzureTestRig.Mib && r.Item1 + r.Item2 > 4L * AzureTestRig.Mib);
        var image = Assert.Single(_management.Images);
        Assert.Equal(blob.Uri, image.BlobUri);
        Assert.Equal(("westeurope", "V1", _rig.ImageName), (image.Location, image.HyperVGeneration, image.Name));
        Assert.Equal(["list rg", $"keys {TestStack.AzuriteAccount}", $"image {_rig.ImageName}"], _management.Calls);
        Assert.Contains(_rig.Progress, p => p.Stage == "azure: uploading the VHD" && p.SubDone == 3 && p.SubTotal == 3);
    }

    [Fact]
    public async Task UploadAsync_DecompressesXzAndNamesImageGenerated_WhenArtifactIsXzAndNoImageName()
    {
        var vhd = _rig.WriteVhd("image.vhd", compressible: true);
        using (var xz = Process.Start(new ProcessStartInfo("xz", ["-k", "-1", "-T1", vhd]))!)
        {
            await xz.WaitForExitAsync();
            Assert.Equal(0, xz.ExitCode);
        }

        var upload = _rig.Upload(vhd + ".xz") with { Options = new Contracts.Targets.AzureUploadOptions("tenant-1", "0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01", "rg", "westeurope", null, "V1") };

        var result = await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal(upload.GeneratedName, result["image_name"]!.GetValue<string>());
        var blob = AzureTestRig.Blob(upload.GeneratedName);
        Assert.Equal(AzureTestRig.Md5(vhd), (await blob.GetPropertiesAsync()).Value.ContentHash);
        Assert.Equal(File.ReadAllBytes(vhd), (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // the other two pages fail at once, in parallel
    public async Task UploadAsync_SendsOnlyMissingPages_WhenRetriedAfterFailingMidway(int threads)
    {
        var vhd = _rig.WriteVhd();
        var upload = _rig.Upload(vhd);
        _rig.Pages.FailAfter = 1;
        var firstAttempt = -1;
        var failures = new List<TargetFailedException>();
        var retry = new TargetRetry(3, TimeSpan.Zero)
        {
            OnRetry = (_, e, _) =>
            {
                failures.Add(e);
                firstAttempt = _rig.Pages.Sent;
                _rig.Pages.FailAfter = null;
            },
        };

        var result = await retry.RunAsync(ct => Target(threads).UploadAsync(upload, ct), CancellationToken.None);

        var failure = Assert.Single(failures);
        Assert.Equal((JobErrorCodes.UploadingImage, true), (failure.Code, failure.IsTransient));
        Assert.Contains("injected fault", failure.Message, StringComparison.Ordinal);
        // The second attempt sends exactly the data pages the blob lacks: none of those the first one wrote. (With
        // several threads, a page in flight when its sibling failed is canceled; the blob may or may not have it.)
        var resumed = Assert.Single(_rig.Logs.Lines, l => l.Contains("resuming page blob", StringComparison.Ordinal));
        var written = int.Parse(Regex.Match(resumed, @"(\d) of 3 data pages").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(3 - written, _rig.Pages.Sent - firstAttempt);
        Assert.InRange(written, firstAttempt, threads == 1 ? 1 : 2);
        if (threads == 1)
        {
            Assert.Equal((1, 3), (firstAttempt, _rig.Pages.Sent));
        }

        var blob = AzureTestRig.Blob(_rig.ImageName);
        Assert.Equal(File.ReadAllBytes(vhd), (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(AzureTestRig.Md5(vhd), (await blob.GetPropertiesAsync()).Value.ContentHash);
        Assert.Equal(_rig.ImageName, result["image_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UploadAsync_SendsNoPages_WhenBlobIsCompleteFromEarlierAttempt()
    {
        var vhd = _rig.WriteVhd();
        var upload = _rig.Upload(vhd);
        _management.ImageError = FakeManagement.ArmError(503, "ServerBusy", "The server is busy.");
        var first = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(upload, CancellationToken.None));
        Assert.Equal((JobErrorCodes.ImportingImage, true), (first.Code, first.IsTransient));
        _management.ImageError = null;
        var sentBefore = _rig.Pages.Sent;

        await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal(3, sentBefore);
        Assert.Equal(3, _rig.Pages.Sent);
        Assert.Equal(2, _management.Images.Count);
        Assert.Contains(_rig.Logs.Lines, l => l.Contains("is complete already", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_ReplacesBlob_WhenSameNameHoldsOtherContent()
    {
        var other = _rig.WriteVhd("other.vhd", seed: 99);
        await Target().UploadAsync(_rig.Upload(other), CancellationToken.None);
        var vhd = _rig.WriteVhd();

        await Target().UploadAsync(_rig.Upload(vhd), CancellationToken.None);

        Assert.Equal(6, _rig.Pages.Sent);
        Assert.Equal(File.ReadAllBytes(vhd), (await AzureTestRig.Blob(_rig.ImageName).DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task UploadAsync_FailsWithUploadingImageNamingTheSize_WhenSizeIsNotMultipleOf512()
    {
        var path = Path.Combine(_rig.Directory, "disk.raw");
        await File.WriteAllBytesAsync(path, new byte[(3 * 512) + 100]);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(path), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("1636 bytes, is not a multiple of 512", e.Message, StringComparison.Ordinal);
        Assert.Empty(_management.Calls); // nothing was made in the cloud
    }

    [Theory]
    [InlineData("rhel 9.6")]
    [InlineData("rhel-9.6-")]
    [InlineData("-rhel")]
    public async Task UploadAsync_FailsWithInvalidTargetBeforeUploading_WhenImageNameBreaksAzuresRule(string name)
    {
        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd(), imageName: name), CancellationToken.None));

        Assert.Equal(TargetFailedException.InvalidTarget, e.Code);
        Assert.Contains($"\"{name}\" is not a valid Azure image name", e.Message, StringComparison.Ordinal);
        Assert.Empty(_management.Calls);
        Assert.Equal(0, _rig.Pages.Sent);
    }

    [Fact]
    public async Task UploadAsync_FailsWithUploadingImage_WhenFileIsNoFixedVhd()
    {
        var raw = Path.Combine(_rig.Directory, "disk.raw");
        await File.WriteAllBytesAsync(raw, new byte[4096]);
        var dynamic = new byte[2048];
        AzureTestRig.WriteFooter(dynamic.AsSpan(1536), diskType: 3);
        var dynamicPath = Path.Combine(_rig.Directory, "dynamic.vhd");
        await File.WriteAllBytesAsync(dynamicPath, dynamic);

        var noFooter = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(raw), CancellationToken.None));
        var notFixed = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(dynamicPath), CancellationToken.None));

        Assert.Equal((JobErrorCodes.UploadingImage, JobErrorCodes.UploadingImage), (noFooter.Code, notFixed.Code));
        Assert.Contains("disk.raw (4096 bytes) is not a VHD", noFooter.Message, StringComparison.Ordinal);
        Assert.Contains("dynamic.vhd (2048 bytes) is a dynamic VHD", notFixed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_FailsWithImportingImageAndRemovesBlob_WhenImageCreationFails()
    {
        _management.ImageError = FakeManagement.ArmError(400, "InvalidParameter", "The specified blob is not a valid VHD.");

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None));

        Assert.Equal(JobErrorCodes.ImportingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("The specified blob is not a valid VHD. (HTTP 400, InvalidParameter)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot create image {_rig.ImageName}", e.Message, StringComparison.Ordinal);
        Assert.False((await AzureTestRig.Blob(_rig.ImageName).ExistsAsync()).Value);
    }

    [Fact]
    public async Task UploadAsync_RemovesTheImageItBeganAndTheBlob_WhenCanceledDuringImageCreation()
    {
        using var cancel = new CancellationTokenSource();
        _management.CancelDuringImage = cancel;
        var upload = _rig.Upload(_rig.WriteVhd());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Target().UploadAsync(upload, cancel.Token));

        Assert.Equal([(_rig.ImageName, AzureImageTarget.UploadToken(upload.GeneratedName))], _management.DeletedImages);
        Assert.Empty(_management.Images);
        Assert.False((await AzureTestRig.Blob(_rig.ImageName).ExistsAsync()).Value);
        Assert.Contains(_rig.Logs.Lines, l => l.Contains($"removed managed image {_rig.ImageName} (canceled)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_ThrowsCanceledAndRemovesBlob_WhenCanceledDuringUpload()
    {
        using var cancel = new CancellationTokenSource();
        _rig.Pages.OnPage = cancel.Cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Target(threads: 1).UploadAsync(_rig.Upload(_rig.WriteVhd()), cancel.Token));

        Assert.Equal(1, _rig.Pages.Sent);
        Assert.False((await AzureTestRig.Blob(_rig.ImageName).ExistsAsync()).Value);
        Assert.Empty(_management.Images);
    }

    [Fact]
    public async Task UploadAsync_LooksUpLocationAndCreatesTaggedAccount_WhenTaskNamesNoLocationAndNoAccountFits()
    {
        _management.Accounts.Clear();
        _management.Accounts.Add(FakeManagement.Tagged("westeurope") with { Name = "ibother" }); // another location's

        await Target().UploadAsync(_rig.Upload(_rig.WriteVhd(), location: null), CancellationToken.None);

        Assert.Equal(
            [
                "location rg", "list rg",
                $"create {TestStack.AzuriteAccount} northeurope imageBuilderStorageAccount=location=northeurope",
                $"keys {TestStack.AzuriteAccount}", $"image {_rig.ImageName}",
            ],
            _management.Calls);
        Assert.Equal("northeurope", _management.Images[0].Location);
    }

    [Fact]
    public async Task UploadAsync_FailsWithSharingTargetNamingTheSection_WhenAzureIsNotConfigured()
    {
        var target = _rig.Target(new TargetsOptions(), _rig.Hooks((_, _) => _management));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None));

        Assert.Equal(TargetFailedException.SharingTarget, e.Code);
        Assert.Contains("add a [builder.targets.azure] section", e.Message, StringComparison.Ordinal);
        Assert.Empty(target.CheckConfiguration());
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTargetConfigWithoutTheSecret_WhenCredentialsFileLacksAKey()
    {
        await File.WriteAllTextAsync(_rig.CredentialsPath, $"client_secret = \"{AzureTestRig.ClientSecret}\"\n");

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("has no client_id", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureTestRig.ClientSecret, e.Message, StringComparison.Ordinal);
        var problem = Assert.Single(Target().CheckConfiguration());
        Assert.Contains("[builder.targets.azure] credentials", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureTestRig.ClientSecret, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_CreatesGenerationV2ImageFromBlobWithVhdName_WhenOptionsAskForV2AndNameEndsInVhd()
    {
        var name = $"kc-test-{Guid.NewGuid():N}.vhd";
        var upload = _rig.Upload(_rig.WriteVhd()) with
        {
            Options = new Contracts.Targets.AzureUploadOptions("tenant-1", "0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01", "rg", "westeurope", name, "V2"),
        };

        var result = await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal(name, result["image_name"]!.GetValue<string>());
        var image = Assert.Single(_management.Images);
        Assert.Equal(("V2", name), (image.HyperVGeneration, image.Name));
        Assert.EndsWith($"/{AzureImageTarget.ContainerName}/{name}", image.BlobUri.AbsolutePath, StringComparison.Ordinal); // no second .vhd
        Assert.Empty(Target().CheckConfiguration());
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTargetConfig_WhenSubscriptionIsNoGuid()
    {
        var upload = _rig.Upload(_rig.WriteVhd()) with
        {
            Options = new Contracts.Targets.AzureUploadOptions("tenant-1", "my-subscription", "rg", "westeurope", null, "V1"),
        };

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("subscription_id must be a subscription GUID, got \"my-subscription\"", e.Message, StringComparison.Ordinal);
        Assert.Empty(_management.Calls);
    }

    [Fact]
    public void NewStorageAccountName_IsIbAnd22LowerCaseLettersOrDigits()
    {
        var names = Enumerable.Range(0, 20).Select(_ => AzureImageTarget.NewStorageAccountName()).ToList();

        Assert.All(names, n => Assert.Matches("^ib[a-z0-9]{22}$", n));
        Assert.Equal(20, names.Distinct().Count());
    }
}
