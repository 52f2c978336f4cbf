using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Azure;
using KojiComposer.Contracts.Errors;
using KojiComposer.Testing;
using Xunit;

namespace KojiComposer.Builder.Tests.Targets.Azure;

/// <summary>
/// The whole azure target with its real clients: Azure.Identity's client secret credential against a fake Entra ID
/// token endpoint, ARM REST and Azure.ResourceManager.Compute against a fake ARM (both https with a private CA, see
/// <see cref="FakeAzureCloud"/>), and the blob upload against the real azurite (the fake ARM hands out azurite's
/// account and key).
/// </summary>
public sealed class AzureResourceManagerTests : IAsyncLifetime, IDisposable
{
    private FakeAzureCloud _cloud = null!;
    private AzureTestRig _rig = null!;

    public async Task InitializeAsync()
    {
        _cloud = await FakeAzureCloud.StartAsync();
        _rig = new AzureTestRig(_cloud.Certificates.Ca);
    }

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    public void Dispose() => _rig?.Dispose();

    private AzureImageTarget Target() => _rig.Target(_rig.Options(arm: _cloud.Url, authority: _cloud.Url), _rig.Hooks());

    [Fact]
    public async Task UploadAsync_SendsArmSequenceAndCreatesImage_WhenResourceGroupHasNoStorageAccount()
    {
        var vhd = _rig.WriteVhd();

        var result = await Target().UploadAsync(_rig.Upload(vhd, location: null), CancellationToken.None);

        Assert.Equal(_rig.ImageName, result["image_name"]!.GetValue<string>());
        var account = $"/subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/{TestStack.AzuriteAccount}";
        var image = $"/subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourceGroups/rg/providers/Microsoft.Compute/images/{_rig.ImageName}";
        var operation = $"/subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/providers/Microsoft.Compute/locations/eastus/operations/image-{_rig.ImageName}";
        Assert.Equal(
            [
                "POST /tenant-1/oauth2/v2.0/token",
                "GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg",
                "GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts",
                $"PUT {account}",
                $"GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/providers/Microsoft.Storage/locations/eastus/asyncoperations/create-{TestStack.AzuriteAccount}",
                $"POST {account}/listKeys",
                $"PUT {image}",
                $"GET {operation}",
                $"GET {operation}",
                $"GET {image}",
            ],
            _cloud.Sequence);

        var requests = _cloud.Requests.Where(r => r.Line.StartsWith("GET /subscriptions", StringComparison.Ordinal) || r.Line.StartsWith("P", StringComparison.Ordinal)).ToList();
        Assert.All(requests.Where(r => !r.Line.Contains("/token", StringComparison.Ordinal)), r => Assert.Equal($"Bearer {FakeAzureCloud.Token}", r.Authorization));
        var token = _cloud.Requests.Single(r => r.Line.EndsWith("/token", StringComparison.Ordinal)).Text;
        Assert.Contains("client_id=client-1", token, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Flocalhost%3A", token, StringComparison.Ordinal);

        var create = _cloud.Requests.Single(r => r.Line == $"PUT {account}").Body!;
        Assert.Equal("eastus", create["location"]!.GetValue<string>());
        Assert.Equal("Standard_LRS", create["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("StorageV2", create["kind"]!.GetValue<string>());
        Assert.Equal("location=eastus", create["tags"]!["imageBuilderStorageAccount"]!.GetValue<string>());

        var put = _cloud.Requests.Single(r => r.Line == $"PUT {image}").Body!;
        Assert.Equal("eastus", put["location"]!.GetValue<string>());
        Assert.Equal("V1", put["properties"]!["hyperVGeneration"]!.GetValue<string>());
        var osDisk = put["properties"]!["storageProfile"]!["osDisk"]!;
        Assert.Equal("Linux", osDisk["osType"]!.GetValue<string>());
        Assert.Equal("Generalized", osDisk["osState"]!.GetValue<string>());
        Assert.Equal(AzureTestRig.Blob(_rig.ImageName).Uri, new Uri(osDisk["blobUri"]!.GetValue<string>()));

        Assert.Equal(File.ReadAllBytes(vhd), (await AzureTestRig.Blob(_rig.ImageName).DownloadContentAsync()).Value.Content.ToArray());
        Assert.DoesNotContain(_rig.Logs.Lines, l => l.Contains(AzureTestRig.ClientSecret, StringComparison.Ordinal)
            || l.Contains(TestStack.AzuriteAccountKey, StringComparison.Ordinal) || l.Contains(FakeAzureCloud.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_PollsTheAccountOperationUntilDone_WhenItsPollsAnswer202WithoutLocation()
    {
        _cloud.AccountPendingPolls = 2;

        var result = await Target().UploadAsync(_rig.Upload(_rig.WriteVhd(), location: "eastus"), CancellationToken.None);

        Assert.Equal(_rig.ImageName, result["image_name"]!.GetValue<string>());
        var poll = $"GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/providers/Microsoft.Storage/locations/eastus/asyncoperations/create-{TestStack.AzuriteAccount}";
        var sequence = _cloud.Sequence.ToList();
        Assert.Equal(3, sequence.Count(l => l == poll));
        Assert.True(sequence.LastIndexOf(poll) < sequence.FindIndex(l => l.EndsWith("/listKeys", StringComparison.Ordinal)));
        Assert.True((await AzureTestRig.Blob(_rig.ImageName).ExistsAsync()).Value);
    }

    [Fact]
    public async Task UploadAsync_ReusesTaggedAccountWithoutResourceGroupLookup_WhenTaskNamesLocation()
    {
        _cloud.StorageAccounts.Add(FakeAzureCloud.Account("ibuntagged", "westeurope", null));
        _cloud.StorageAccounts.Add(FakeAzureCloud.Account(TestStack.AzuriteAccount, "westeurope", "location=westeurope"));

        await Target().UploadAsync(_rig.Upload(_rig.WriteVhd(), location: "westeurope"), CancellationToken.None);

        var sequence = _cloud.Sequence;
        Assert.Equal("GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts", sequence[1]);
        Assert.Equal($"POST /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/{TestStack.AzuriteAccount}/listKeys", sequence[2]);
        Assert.DoesNotContain(sequence, l => l.StartsWith("PUT", StringComparison.Ordinal) && l.Contains("storageAccounts", StringComparison.Ordinal));
        Assert.DoesNotContain("GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg", sequence);
    }

    [Fact]
    public async Task UploadAsync_ReusesTheTaggedAccount_WhenTheTaskSpellsTheLocationInAnotherCase()
    {
        _cloud.StorageAccounts.Add(FakeAzureCloud.Account(TestStack.AzuriteAccount, "westeurope", "location=westeurope"));

        await Target().UploadAsync(_rig.Upload(_rig.WriteVhd(), location: "WestEurope"), CancellationToken.None);

        Assert.DoesNotContain(_cloud.Sequence, l => l.StartsWith("PUT", StringComparison.Ordinal) && l.Contains("storageAccounts", StringComparison.Ordinal));
        Assert.Contains($"POST /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/{TestStack.AzuriteAccount}/listKeys", _cloud.Sequence);
    }

    [Fact]
    public async Task UploadAsync_TriesAnotherName_WhenStorageAccountNameIsTaken()
    {
        var names = new Queue<string>(["ibtaken", TestStack.AzuriteAccount]);
        _cloud.TakenAccountNames.Add("ibtaken");
        var target = _rig.Target(_rig.Options(arm: _cloud.Url, authority: _cloud.Url), _rig.Hooks() with { StorageAccountName = names.Dequeue });

        await target.UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None);

        Assert.Contains("PUT /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/ibtaken", _cloud.Sequence);
        Assert.Contains(_rig.Logs.Lines, l => l.Contains("ibtaken is taken", StringComparison.Ordinal));
        Assert.True((await AzureTestRig.Blob(_rig.ImageName).ExistsAsync()).Value);
    }

    [Fact]
    public async Task UploadAsync_FailsWithImportingImageAndArmsMessage_WhenImageOperationFails()
    {
        _cloud.StorageAccounts.Add(FakeAzureCloud.Account(TestStack.AzuriteAccount, "westeurope", "location=westeurope"));
        _cloud.ImageFailure = ("InvalidParameter", "Blob https://example/x.vhd is not a fixed VHD of a whole number of MiB.");

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None));

        Assert.Equal(JobErrorCodes.ImportingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("is not a fixed VHD of a whole number of MiB.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Headers", e.Message, StringComparison.Ordinal);
        Assert.False((await AzureTestRig.Blob(_rig.ImageName).ExistsAsync()).Value);
        var image = $"/subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourceGroups/rg/providers/Microsoft.Compute/images/{_rig.ImageName}";
        Assert.Equal([$"GET {image}", $"DELETE {image}"], _cloud.Sequence.SkipWhile(l => !l.StartsWith("PUT /subscriptions", StringComparison.Ordinal) || !l.Contains("/images/", StringComparison.Ordinal))
            .Where(l => l.EndsWith($"/images/{_rig.ImageName}", StringComparison.Ordinal) && !l.StartsWith("PUT", StringComparison.Ordinal)));
        Assert.Empty(_cloud.Images);
    }

    [Fact]
    public async Task UploadAsync_TagsTheImageAndLeavesAnImageOfAnotherUpload_WhenImageOperationFails()
    {
        _cloud.StorageAccounts.Add(FakeAzureCloud.Account(TestStack.AzuriteAccount, "westeurope", "location=westeurope"));
        _cloud.ImageFailure = ("Conflict", "another upload's image");
        var upload = _rig.Upload(_rig.WriteVhd());
        var image = $"/subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourceGroups/rg/providers/Microsoft.Compute/images/{_rig.ImageName}";
        var target = Target();

        _cloud.ForeignImageToken = "0123456789abcdef0123456789abcdef";

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));

        Assert.Equal(JobErrorCodes.ImportingImage, e.Code);
        Assert.Equal(AzureImageTarget.UploadToken(upload.GeneratedName),
            _cloud.Requests.Single(r => r.Line == $"PUT {image}").Body!["tags"]![AzureImageTarget.UploadTag]!.GetValue<string>());
        Assert.DoesNotContain($"DELETE {image}", _cloud.Sequence);
        Assert.True(_cloud.Images.ContainsKey(image));
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTargetConfigWithoutSecret_WhenEntraRejectsTheClient()
    {
        _cloud.RejectClient = true;

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.False(e.IsTransient);
        Assert.True(e.Message.Contains("AADSTS7000215", StringComparison.Ordinal), e.ToString());
        Assert.DoesNotContain(AzureTestRig.ClientSecret, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_cloud.Sequence, l => l.Contains("resourcegroups", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task UploadAsync_FailsTransiently_WhenArmIsBusy(int status)
    {
        _cloud.Faults["GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg/providers"] = status;

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd()), CancellationToken.None));

        Assert.Equal((JobErrorCodes.UploadingImage, true), (e.Code, e.IsTransient));
        Assert.Contains($"the fake answers {status}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_FailsForGoodWithArmsReason_WhenResourceGroupIsMissing()
    {
        _cloud.Faults["GET /subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourcegroups/rg"] = 404;

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_rig.Upload(_rig.WriteVhd(), location: null), CancellationToken.None));

        Assert.Equal((JobErrorCodes.UploadingImage, false), (e.Code, e.IsTransient));
        Assert.Contains("cannot prepare the storage account", e.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404, ServerBusy", e.Message, StringComparison.Ordinal);
    }
}
