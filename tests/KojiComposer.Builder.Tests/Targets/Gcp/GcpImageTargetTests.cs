using System.Text.Json.Nodes;
using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Targets;
using Xunit;

namespace KojiComposer.Builder.Tests.Targets.Gcp;

/// <summary>
/// The gcp target end to end through its real clients (Google.Cloud.Storage.V1, Google.Apis.Auth's service account
/// token flow, the Compute REST calls) against <see cref="GcpFake"/>: the request sequence, what the requests carry,
/// the result, and the error codes of cloud-targets.md §5.
/// </summary>
public sealed class GcpImageTargetTests : IAsyncLifetime
{
    private const string Compute = "/compute/v1/projects/" + GcpFake.Project + "/global";
    private GcpTestBed _bed = null!;

    private GcpFake Fake => _bed.Fake;

    public async Task InitializeAsync() => _bed = await GcpTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task UploadAsync_ImportsImageAndDeletesObject_WhenNothingIsShared()
    {
        var artifact = _bed.Artifact();
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []), artifact);

        var result = await _bed.Target().UploadAsync(upload, CancellationToken.None);

        var name = upload.GeneratedName;
        var objectName = name + ".tar.gz";
        Assert.Equal(new JsonObject { ["image_name"] = name, ["project_id"] = GcpFake.Project }.ToJsonString(), result.ToJsonString());
        Assert.Equal("POST /token", Fake.Sequence[0]);
        Assert.Equal(
        [
            $"GET {Compute}/images/{name}",
            $"POST /upload/storage/v1/b/{GcpTestBed.Bucket}/o",
            $"PUT /upload/storage/v1/b/{GcpTestBed.Bucket}/o",
            $"POST {Compute}/images",
            $"GET {Compute}/operations/*",
            $"GET {Compute}/operations/*",
            $"DELETE /storage/v1/b/{GcpTestBed.Bucket}/o/{objectName}",
        ], Fake.Sequence.Where(s => s != "POST /token"));

        // Step 1: the artifact as it is, named <generated>.tar.gz, its metadata naming the image.
        var stored = Assert.Single(Fake.Uploaded);
        Assert.Equal(objectName, stored.Name);
        Assert.Equal(File.ReadAllBytes(artifact), stored.Data);
        Assert.Equal(name, stored.Metadata["image-name"]);
        Assert.Contains("crc32c=", Fake.Requests.Last(r => r.Method == "PUT").Headers.GetValueOrDefault("X-Goog-Hash", ""), StringComparison.Ordinal);
        Assert.NotEmpty(Fake.SelfSignedJwts);

        // Step 2: images.insert from the object's storage.googleapis.com URL, in the task's region, with the features of RHEL.
        var insert = Fake.Requests.Single(r => r.Action == $"POST {Compute}/images").Json!;
        Assert.Equal(name, insert["name"]!.ToString());
        Assert.Equal($"https://storage.googleapis.com/{GcpTestBed.Bucket}/{objectName}", insert["rawDisk"]!["source"]!.ToString());
        Assert.Equal("[\"europe-west4\"]", insert["storageLocations"]!.ToJsonString());
        Assert.Equal(["UEFI_COMPATIBLE", "VIRTIO_SCSI_MULTIQUEUE", "SEV_CAPABLE", "GVNIC"],
            insert["guestOsFeatures"]!.AsArray().Select(f => f!["type"]!.ToString()));
        Assert.Equal("X86_64", insert["architecture"]!.ToString());

        // Step 3: the object is gone, the image is there.
        Assert.Empty(Fake.Objects);
        Assert.Equal("READY", Fake.Images[$"{GcpFake.Project}/{name}"].Status);
        Assert.DoesNotContain(Fake.Sequence, s => s.Contains("IamPolicy", StringComparison.Ordinal));
        Assert.Contains(_bed.Progress, p => p.Stage == "gcp: importing image");
    }

    [Fact]
    public async Task UploadAsync_SharesImageWithTheMembersAsGiven_WhenShareWithAccounts()
    {
        Fake.Buckets["kc-task-bucket"] = true;
        // Over the 10 MiB chunk of the resumable upload: two PUTs, the first answered 308.
        var artifact = _bed.Artifact(11 * 1024 * 1024);
        var members = new[] { "user:alice@example.com", "serviceAccount:ci@other-project.iam.gserviceaccount.com" };
        var upload = _bed.Upload(new GcpUploadOptions("us-central1", "kc-task-bucket", "rhel-96-nightly", members), artifact);

        var result = await _bed.Target(_bed.Options(bucket: null)).UploadAsync(upload, CancellationToken.None);

        Assert.Equal("rhel-96-nightly", result["image_name"]!.ToString());
        Assert.Equal(GcpFake.Project, result["project_id"]!.ToString());
        var sequence = Fake.Sequence.Where(s => s != "POST /token").ToList();
        Assert.Equal(2, sequence.Count(s => s == "PUT /upload/storage/v1/b/kc-task-bucket/o"));
        Assert.Equal(
        [
            $"DELETE /storage/v1/b/kc-task-bucket/o/{upload.GeneratedName}.tar.gz",
            $"GET {Compute}/images/rhel-96-nightly/getIamPolicy",
            $"POST {Compute}/images/rhel-96-nightly/setIamPolicy",
        ], sequence[^3..]);
        Assert.Equal(File.ReadAllBytes(artifact), Assert.Single(Fake.Uploaded).Data);
        Assert.Equal("rhel-96-nightly", Assert.Single(Fake.Uploaded).Metadata["image-name"]);

        var set = Fake.Requests.Single(r => r.Action.EndsWith("/setIamPolicy", StringComparison.Ordinal)).Json!["policy"]!;
        Assert.Equal("ACAB", set["etag"]!.ToString());
        var binding = Assert.Single(set["bindings"]!.AsArray())!;
        Assert.Equal("roles/compute.imageUser", binding["role"]!.ToString());
        Assert.Equal(members, binding["members"]!.AsArray().Select(m => m!.ToString()));
        Assert.Empty(Fake.Objects);
        Assert.Equal(members, Fake.Images[$"{GcpFake.Project}/rhel-96-nightly"].Bindings[0]!["members"]!.AsArray().Select(m => m!.ToString()));
    }

    [Fact]
    public async Task UploadAsync_FailsWithImportingImage_AndDeletesObjectAndImage_WhenTheOperationFails()
    {
        Fake.ImportError = "Invalid image file: the tar archive holds no disk.raw";
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(12, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("Invalid image file: the tar archive holds no disk.raw", e.Message, StringComparison.Ordinal);
        Assert.Single(Fake.Uploaded);
        Assert.Empty(Fake.Objects);
        Assert.Empty(Fake.Images);
        Assert.Contains($"DELETE {Compute}/images/{upload.GeneratedName}", Fake.Sequence);
        Assert.Contains($"DELETE /storage/v1/b/{GcpTestBed.Bucket}/o/{upload.GeneratedName}.tar.gz", Fake.Sequence);
    }

    [Fact]
    public async Task UploadAsync_FailsWithSharingTarget_AndDeletesImage_WhenGcpRejectsAMember()
    {
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, ["alice@example.com"]));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(3, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("'alice@example.com'. Member is of an unknown type", e.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Objects);
        Assert.Empty(Fake.Images);
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTargetConfig_WhenNeitherTaskNorConfigNameABucket()
    {
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target(_bed.Options(bucket: null)).UploadAsync(upload, CancellationToken.None));

        Assert.Equal(2, e.Code);
        Assert.Contains("no bucket", e.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Requests);
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTargetConfig_WhenTheWorkerHasNoGcpSection()
    {
        var target = new KojiComposer.Builder.Targets.Gcp.GcpImageTarget(new KojiComposer.Config.TargetsOptions(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KojiComposer.Builder.Targets.Gcp.GcpImageTarget>.Instance);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(_bed.Upload(new GcpUploadOptions("r", "b", null, [])), CancellationToken.None));

        Assert.Equal(2, e.Code);
        Assert.Contains("[builder.targets.gcp]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RHEL-9")]
    [InlineData("9-rhel")]
    [InlineData("rhel-9-")]
    [InlineData("rhel_9")]
    [InlineData("rhel-9.6")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890abcd")]
    public async Task UploadAsync_FailsWithInvalidTarget_WhenTheImageNameBreaksGcpRule(string imageName)
    {
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, imageName, []));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(4, e.Code);
        Assert.Contains($"\"{imageName}\" is not a valid GCP image name", e.Message, StringComparison.Ordinal);
        Assert.Contains("[a-z]([-a-z0-9]*[a-z0-9])?", e.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Requests);
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTarget_WhenTheArtifactIsNotATarGz()
    {
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []), _bed.Artifact(1000, "disk.qcow2"));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(4, e.Code);
        Assert.Contains("disk.qcow2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_IsTransient_AndTheRetrySucceedsWithOneImage_WhenImagesInsertAnswers503()
    {
        var failures = 0;
        Fake.Intercept = r => r.Action == $"POST {Compute}/images" && Interlocked.Increment(ref failures) == 1
            ? FakeAnswer.Error(503, "The service is currently unavailable.", "backendError")
            : null;
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []));
        var target = _bed.Target();

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        Assert.Equal(12, e.Code);
        Assert.True(e.IsTransient);
        Assert.Contains("HTTP 503: The service is currently unavailable.", e.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Objects);

        // What TargetRetry does next: the same upload again.
        var result = await target.UploadAsync(upload, CancellationToken.None);

        Assert.Equal(upload.GeneratedName, result["image_name"]!.ToString());
        Assert.Equal("READY", Assert.Single(Fake.Images).Value.Status);
        Assert.Equal(2, Fake.Uploaded.Count);
        Assert.Empty(Fake.Objects);
    }

    [Fact]
    public async Task UploadAsync_FailsWithUploadingImage_Transient_WhenCloudStorageAnswers503()
    {
        Fake.Intercept = r => r.Action == $"POST /upload/storage/v1/b/{GcpTestBed.Bucket}/o"
            ? FakeAnswer.Error(503, "We encountered an internal error. Please try again.", "backendError")
            : null;
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(11, e.Code);
        Assert.True(e.IsTransient);
        Assert.Contains("We encountered an internal error", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Fake.Sequence, s => s == $"POST {Compute}/images");
        Assert.Empty(Fake.Objects);
    }

    [Fact]
    public async Task UploadAsync_MakesTheImageAgain_WhenTheEarlierAttemptGaveUpPollingAndItsImportFailed()
    {
        var failures = 0;
        Fake.Intercept = r => r.Action == $"GET {Compute}/operations/*" && Interlocked.Increment(ref failures) <= 5
            ? FakeAnswer.Error(503, "Backend Error", "backendError")
            : null;
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []));
        var target = _bed.Target();

        // Five failed looks in a row: transient; the object is deleted, so GCP's import then fails for want of it.
        var e = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        Assert.Equal(12, e.Code);
        Assert.True(e.IsTransient);
        Assert.Empty(Fake.Objects);

        var result = await target.UploadAsync(upload, CancellationToken.None);

        Assert.Equal(upload.GeneratedName, result["image_name"]!.ToString());
        Assert.Equal("READY", Assert.Single(Fake.Images).Value.Status);
        Assert.Equal(2, Fake.Uploaded.Count);
        Assert.Equal(2, Fake.Sequence.Count(s => s == $"POST {Compute}/images"));
        Assert.Single(Fake.Sequence, s => s == $"DELETE {Compute}/images/{upload.GeneratedName}");
        Assert.Contains(_bed.Logs.Lines, l => l.Contains("an earlier attempt's import ended FAILED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_KeepsTheImageOfTheEarlierAttempt_WhenOnlySharingFailedTransiently()
    {
        var failures = 0;
        Fake.Intercept = r => r.Action.EndsWith("/getIamPolicy", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1
            ? FakeAnswer.Error(429, "Rate Limit Exceeded", "rateLimitExceeded")
            : null;
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, "kc-retried", ["group:testers@example.com"]));
        var target = _bed.Target();

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        Assert.Equal(3, e.Code);
        Assert.True(e.IsTransient);

        var result = await target.UploadAsync(upload, CancellationToken.None);

        Assert.Equal("kc-retried", result["image_name"]!.ToString());
        Assert.Single(Fake.Uploaded);
        Assert.Single(Fake.Sequence, s => s == $"POST {Compute}/images");
        Assert.Contains(_bed.Logs.Lines, l => l.Contains("image kc-retried was made by an earlier attempt of this upload (status READY)", StringComparison.Ordinal));
        Assert.Equal("group:testers@example.com", Fake.Images[$"{GcpFake.Project}/kc-retried"].Bindings[0]!["members"]![0]!.ToString());
    }

    [Fact]
    public async Task UploadAsync_FailsWithImportingImage_WithoutUploading_WhenAnotherUploadsImageHasTheName()
    {
        var other = _bed.Upload(new GcpUploadOptions("europe-west4", null, "kc-taken", []));
        await _bed.Target().UploadAsync(other, CancellationToken.None);
        var uploads = Fake.Uploaded.Count;
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, "kc-taken", []));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => _bed.Target().UploadAsync(upload, CancellationToken.None));

        Assert.Equal(12, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains($"an image named kc-taken already exists in project {GcpFake.Project}", e.Message, StringComparison.Ordinal);
        Assert.Equal(uploads, Fake.Uploaded.Count);
        Assert.Equal("READY", Fake.Images[$"{GcpFake.Project}/kc-taken"].Status);
    }

    [Fact]
    public async Task UploadAsync_DeletesObjectAndImage_WhenCanceledDuringTheImport()
    {
        Fake.PollsUntilDone = int.MaxValue;
        using var cancel = new CancellationTokenSource();
        Fake.Intercept = r =>
        {
            if (r.Action == $"GET {Compute}/operations/*")
            {
                cancel.Cancel();
            }

            return null;
        };
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bed.Target().UploadAsync(upload, cancel.Token));

        Assert.Single(Fake.Uploaded);
        Assert.Empty(Fake.Objects);
        Assert.Empty(Fake.Images);
        Assert.Equal(
        [
            $"DELETE {Compute}/images/{upload.GeneratedName}",
            $"DELETE /storage/v1/b/{GcpTestBed.Bucket}/o/{upload.GeneratedName}.tar.gz",
        ], Fake.Sequence.Where(s => s.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UploadAsync_LeavesNoObject_WhenCanceledDuringTheObjectUpload()
    {
        using var cancel = new CancellationTokenSource();
        Fake.Intercept = r =>
        {
            if (r.Method == "PUT")
            {
                cancel.Cancel();
            }

            return null;
        };
        var upload = _bed.Upload(new GcpUploadOptions("europe-west4", null, null, []), _bed.Artifact(11 * 1024 * 1024));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bed.Target().UploadAsync(upload, cancel.Token));

        Assert.Empty(Fake.Objects);
        Assert.Empty(Fake.Uploaded);
        Assert.DoesNotContain(Fake.Sequence, s => s == $"POST {Compute}/images");
        Assert.Equal($"DELETE /storage/v1/b/{GcpTestBed.Bucket}/o/{upload.GeneratedName}.tar.gz", Fake.Sequence[^1]);
    }

    [Fact]
    public async Task UploadAsync_KeepsTheKeyAndTheAccessTokenOutOfMessagesAndLogs()
    {
        // A run that fails after tokens were used, and one whose token request the endpoint rejects.
        Fake.ImportError = "Invalid image file";
        var first = await Assert.ThrowsAsync<TargetFailedException>(() =>
            _bed.Target().UploadAsync(_bed.Upload(new GcpUploadOptions("europe-west4", null, null, [])), CancellationToken.None));
        Fake.Intercept = r => r.Path == "/token" ? FakeAnswer.TokenError("invalid_grant", "Invalid JWT Signature.") : null;
        var second = await Assert.ThrowsAsync<TargetFailedException>(() =>
            _bed.Target().UploadAsync(_bed.Upload(new GcpUploadOptions("europe-west4", null, null, [])), CancellationToken.None));

        Assert.Contains("getting an access token failed: invalid_grant (Invalid JWT Signature.)", second.Message, StringComparison.Ordinal);
        Assert.False(second.IsTransient);
        var assertion = System.Web.HttpUtility.ParseQueryString(System.Text.Encoding.UTF8.GetString(Fake.Requests.Last(r => r.Path == "/token").Body))["assertion"]!;
        var keyBody = _bed.Fake.PrivateKeyPem.Split('\n')[2];
        var texts = _bed.Logs.Lines.Concat([first.Message, second.Message, first.ToString(), second.ToString()]).ToList();
        Assert.NotEmpty(_bed.Logs.Lines);
        Assert.NotEmpty(Fake.IssuedTokens);
        foreach (var text in texts)
        {
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyBody, text, StringComparison.Ordinal);
            Assert.DoesNotContain(assertion.Split('.')[2], text, StringComparison.Ordinal);
            Assert.All(Fake.IssuedTokens, token => Assert.DoesNotContain(token, text, StringComparison.Ordinal));
            Assert.All(Fake.SelfSignedJwts, jwt => Assert.DoesNotContain(jwt.Split('.')[2], text, StringComparison.Ordinal));
        }
    }
}
