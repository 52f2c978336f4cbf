using System.Text.Json.Nodes;
using KojiComposer.Contracts.Secrets;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Scheduler.Tests.Targets;

/// <summary>upload_options decoded as the target's own shape (osbuildimage-task.md §2.2, cloud-targets.md §1).</summary>
public sealed class UploadOptionsTests
{
    [Theory]
    [InlineData("aws", "aws")]
    [InlineData("aws-rhui", "aws")]
    [InlineData("azure-sap-rhui", "azure")]
    [InlineData("gcp", "gcp")]
    [InlineData("edge-container", "container")]
    [InlineData("iot-bootable-container", "container")]
    [InlineData("oci", "oci.objectstorage")]
    [InlineData("guest-image", "aws.s3")]
    [InlineData("minimal-raw", "aws.s3")]
    public void DefaultFor_GivesTheImageTypesDefaultTarget(string imageType, string target) =>
        Assert.Equal(target, UploadTargetTypes.DefaultFor(imageType));

    [Fact]
    public void Parse_ReadsTheSameObject_AsEachTargetsOwnShape()
    {
        var json = JsonNode.Parse("""{"region": "us-east-1", "bucket": "b", "share_with_accounts": ["123456789012"]}""")!.AsObject();

        Assert.Equal(new AwsS3UploadOptions("us-east-1", false), UploadOptions.Parse("aws.s3", json).Options);
        var gcp = Assert.IsType<GcpUploadOptions>(UploadOptions.Parse("gcp", json).Options);
        Assert.Equal(("us-east-1", "b", null), (gcp.Region, gcp.Bucket, gcp.ImageName));
        Assert.Equal(["123456789012"], gcp.ShareWithAccounts);
        var ec2 = Assert.IsType<AwsEc2UploadOptions>(UploadOptions.Parse("aws", json).Options);
        Assert.Equal(["123456789012"], ec2.ShareWithAccounts);
    }

    [Fact]
    public void Parse_AcceptsAnEmptyObject_OnlyForTargetsWithoutRequiredOptions()
    {
        Assert.Equal(new ContainerUploadOptions(null, null), UploadOptions.Parse("container", []).Options);
        Assert.NotNull(UploadOptions.Parse("oci.objectstorage", []).Options);
        foreach (var type in new[] { "aws", "aws.s3", "gcp", "azure" })
        {
            Assert.NotNull(UploadOptions.Parse(type, []).Problem);
        }
    }

    [Fact]
    public void Parse_NamesEveryMissingAzureOption()
    {
        var (options, problem) = UploadOptions.Parse("azure", JsonNode.Parse("""{"tenant_id": "t", "location": "westeurope"}""")!.AsObject());

        Assert.Null(options);
        Assert.Equal(
            "upload_options for target azure: \"subscription_id\" is required and must be a non-empty string; \"resource_group\" is required and must be a non-empty string",
            problem);
    }

    [Fact]
    public void Parse_DefaultsAzureToGenerationV1_AndRefusesAnUnknownGeneration()
    {
        var json = JsonNode.Parse("""{"tenant_id": "t", "subscription_id": "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "resource_group": "g"}""")!.AsObject();
        Assert.Equal("V1", Assert.IsType<AzureUploadOptions>(UploadOptions.Parse("azure", json).Options).HyperVGeneration);

        json["hyper_v_generation"] = "V3";
        Assert.Equal("upload_options for target azure: \"hyper_v_generation\" must be one of \"V1\", \"V2\", got \"V3\"", UploadOptions.Parse("azure", json).Problem);
    }

    [Fact]
    public void Parse_RefusesAnAzureSubscriptionThatIsNotAGuid()
    {
        var json = JsonNode.Parse("""{"tenant_id": "t", "subscription_id": "my-subscription", "resource_group": "g"}""")!.AsObject();

        Assert.Equal(
            "upload_options for target azure: \"subscription_id\" must be a subscription GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got \"my-subscription\"",
            UploadOptions.Parse("azure", json).Problem);
    }

    [Theory]
    [InlineData("rhel-9.6 (koji build 42) [x86_64]", true)]
    [InlineData("ab", false)]
    [InlineData("name:with:colons", false)]
    public void Parse_ChecksTheSnapshotName_AgainstEc2sImageNameRule(string name, bool valid)
    {
        var json = new JsonObject { ["region"] = "us-east-1", ["snapshot_name"] = name };

        var problem = UploadOptions.Parse("aws", json).Problem;

        Assert.Equal(valid, problem is null);
        if (!valid)
        {
            Assert.Contains("\"snapshot_name\" must be 3 to 128 letters", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_RefusesWrongTypes_NamingTheKey()
    {
        var json = JsonNode.Parse("""{"region": "r", "share_with_accounts": "123456789012"}""")!.AsObject();

        Assert.Equal("upload_options for target aws: \"share_with_accounts\" must be a list of non-empty strings", UploadOptions.Parse("aws", json).Problem);
    }

    [Fact]
    public void Parse_RefusesAnUnknownTargetType()
    {
        Assert.StartsWith("ftp is not an upload target", UploadOptions.Parse("ftp", []).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("org.osbuild.aws", "aws")]
    [InlineData("org.osbuild.aws.s3", "aws.s3")]
    [InlineData("org.osbuild.gcp", "gcp")]
    [InlineData("org.osbuild.azure.image", "azure")]
    [InlineData("org.osbuild.container", "container")]
    [InlineData("org.osbuild.oci.objectstorage", "oci.objectstorage")]
    public void NameOf_GivesTheCgMetadataTargetName(string name, string type) => Assert.Equal(name, UploadTargetTypes.NameOf(type));

    [Theory]
    [InlineData(
        "uploaded to https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA/x&X-Amz-Signature=abc def",
        "uploaded to https://b.s3.amazonaws.com/k?<redacted> def")]
    [InlineData("blob https://a.blob.core.windows.net/c/b.vhd?sv=2024&sig=abc%3D", "blob https://a.blob.core.windows.net/c/b.vhd?<redacted>")]
    [InlineData("https://example.test/page?x=1&y=2", "https://example.test/page?x=1&y=2")]
    [InlineData("{\"url\":\"https://h/k?X-Goog-Signature=ff\"}", "{\"url\":\"https://h/k?<redacted>\"}")]
    [InlineData("https://user:pw@h/k", "https://<redacted>@h/k")]
    [InlineData("{\"url\":\"https://h/k?X-Amz-Expires=1\\u0026X-Amz-Signature=ff\"}", "{\"url\":\"https://h/k?<redacted>\"}")]
    public void PresignedUrls_Redact_MasksSignedQueriesOnly(string text, string expected) => Assert.Equal(expected, PresignedUrls.Redact(text));
}
