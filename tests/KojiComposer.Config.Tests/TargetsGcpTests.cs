namespace KojiComposer.Config.Tests;

/// <summary><c>[builder.targets.gcp]</c>: keys, defaults, and the credentials check that names keys but no values.</summary>
public sealed class TargetsGcpTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_LeavesGcpUnset_WhenTheSectionIsAbsent() =>
        Assert.Null(ConfigAssert.Parses(ConfigAssert.HubSection).Builder.Targets.Gcp);

    [Fact]
    public void Parse_ReadsEveryKey_WhenGiven()
    {
        using var dir = new TempDirectory();
        var key = dir.Write("key.json", """{"type": "service_account", "client_email": "b@p.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----"}""");

        var gcp = ConfigAssert.Parses($"""
            [builder.targets.gcp]
            credentials = "{key}"
            bucket = "kc-staging"
            project_id = "my-project"
            storage_endpoint = "http://127.0.0.1:9000/storage/v1/"
            compute_endpoint = "http://127.0.0.1:9001/compute/v1/"
            operation_timeout_seconds = 600
            poll_interval_seconds = 0.5
            """ + ConfigAssert.HubSection).Builder.Targets.Gcp!;

        Assert.Equal(key, gcp.Credentials);
        Assert.Equal("kc-staging", gcp.Bucket);
        Assert.Equal("my-project", gcp.ProjectId);
        Assert.Equal(new Uri("http://127.0.0.1:9000/storage/v1/"), gcp.StorageEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:9001/compute/v1/"), gcp.ComputeEndpoint);
        Assert.Equal(TimeSpan.FromMinutes(10), gcp.OperationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), gcp.PollInterval);
    }

    [Fact]
    public void Parse_UsesApplicationDefaultCredentialsAndDefaults_WhenTheSectionIsEmpty()
    {
        var gcp = ConfigAssert.Parses("[builder.targets.gcp]\n" + ConfigAssert.HubSection).Builder.Targets.Gcp!;

        Assert.Null(gcp.Credentials);
        Assert.Null(gcp.Bucket);
        Assert.Equal(TimeSpan.FromHours(2), gcp.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), gcp.PollInterval);
    }

    [Fact]
    public void Parse_NamesTheMissingKeyButNoValue_WhenTheKeyFileLacksThePrivateKey()
    {
        using var dir = new TempDirectory();
        var key = dir.Write("key.json", """{"type": "service_account", "client_email": "secret-looking@p.iam.gserviceaccount.com"}""");

        var line = ConfigAssert.FailsOnce($"[builder.targets.gcp]\ncredentials = \"{key}\"\n" + ConfigAssert.HubSection);

        Assert.StartsWith($"{F}:2: builder.targets.gcp.credentials: ", line, StringComparison.Ordinal);
        Assert.Contains("has no private_key", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesTheBucket_WhenItIsNotABucketName()
    {
        var line = ConfigAssert.FailsOnce("[builder.targets.gcp]\nbucket = \"Bad_Bucket\"\n" + ConfigAssert.HubSection);

        Assert.Contains("builder.targets.gcp.bucket: is not a bucket name", line, StringComparison.Ordinal);
    }
}
