using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using KojiComposer.Testing;
using KojiComposer.Testing.Site;

namespace KojiComposer.Intake.Tests;

/// <summary>
/// A Koji task whose image goes to a cloud target too, through kojicomposerd as installed: the image type's default
/// target takes the task's upload_options, the image lands in the store (here a generic S3 store: the stack's real
/// s3rver), and the result is where users look for it: compose-status.json's upload_status, the API, and the Koji
/// build's CG metadata (upload_target_results). A target that fails fails the task with its reason.
/// </summary>
public sealed class CloudTargetEndToEndTests
{
    [Fact]
    public async Task S3Task_PutsTheImageInTheStore_AndReportsItsUrl_InComposeStatusTheApiAndTheBuild()
    {
        var bucket = "kc-e2e-" + Guid.NewGuid().ToString("N")[..12];
        using var s3 = S3Client();
        await s3.PutBucketAsync(bucket);
        await using var site = await IntakeSite.StartAsync(extraToml: GenericStore(bucket));

        var task = await site.SubmitAsync(["x86_64"], new XmlRpcStruct { ["upload_options"] = new XmlRpcStruct { ["region"] = "lab-1" } });
        var row = await site.WaitForTaskAsync(task);

        Assert.Equal(TaskState.Closed, row.State);
        var status = site.TaskJson(task, "compose-status.json");
        Assert.Equal("success", (string?)status["status"]);
        var upload = status["image_statuses"]![0]!["upload_status"]!.AsObject();
        Assert.Equal(("success", "aws.s3"), ((string?)upload["status"], (string?)upload["type"]));
        var url = (string)upload["options"]!["url"]!;
        Assert.StartsWith($"{TestStack.S3Endpoint.AbsoluteUri}{bucket}/composer-api-", url, StringComparison.Ordinal);
        Assert.Contains("-disk.qcow2?", url, StringComparison.Ordinal);
        Assert.Matches("[?&]X-Amz-Expires=6047[0-9]{2}(&|$)", url); // 7 days (a few seconds under the limit)

        // The object is the image Koji has: same md5 as the archive.
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(url);
        await using var user = await site.LoginUserAsync();
        var result = Assert.IsType<XmlRpcStruct>(await user.GetTaskResultAsync(task));
        var buildId = Convert.ToInt64(Assert.IsType<XmlRpcStruct>(result["koji"])["build"], CultureInfo.InvariantCulture);
        var image = Assert.Single(await user.ListArchivesAsync(buildId), a => a.TypeName == "qcow2");
        Assert.Equal(image.Checksum, Convert.ToHexStringLower(MD5.HashData(bytes)));

        // The CG metadata names the target and its result.
        var extra = Assert.IsType<XmlRpcStruct>(site.Read(s => s.Builds[buildId].Extra));
        var typeinfo = Assert.IsType<XmlRpcStruct>(Assert.IsType<XmlRpcStruct>(extra["typeinfo"])["image"]);
        var imageInfo = Assert.IsType<XmlRpcStruct>(typeinfo[image.Filename]);
        var target = Assert.IsType<XmlRpcStruct>(Assert.Single(Assert.IsType<object?[]>(imageInfo["upload_target_results"])));
        Assert.Equal("org.osbuild.aws.s3", target["name"]);
        Assert.Equal(url, Assert.IsType<XmlRpcStruct>(target["options"])["url"]);

        // The service's own record says the same; its log never holds the signature.
        var composeId = (string)Assert.IsType<XmlRpcStruct>(result["composer"])["id"]!;
        var compose = await site.GetJsonAsync($"/api/image-builder-composer/v2/composes/{composeId}");
        Assert.Equal(url, (string?)compose["image_statuses"]![0]!["upload_status"]!["options"]!["url"]);
        Assert.DoesNotContain(url.Split("X-Amz-Signature=")[1], string.Join("\n", site.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3Task_FailsWithTheStoresReason_WhenTheBucketIsMissing_AndRefundsTheBuild()
    {
        var bucket = "kc-e2e-missing-" + Guid.NewGuid().ToString("N")[..8];
        await using var site = await IntakeSite.StartAsync(extraToml: GenericStore(bucket));

        var task = await site.SubmitAsync(["x86_64"], new XmlRpcStruct { ["upload_options"] = new XmlRpcStruct { ["region"] = "lab-1" } });
        var row = await site.WaitForTaskAsync(task);

        Assert.Equal(TaskState.Failed, row.State);
        var status = site.TaskJson(task, "compose-status.json");
        Assert.Equal("failure", (string?)status["status"]);
        var image = status["image_statuses"]![0]!;
        Assert.Equal(("failure", "aws.s3"), ((string?)image["upload_status"]!["status"], (string?)image["upload_status"]!["type"]));
        Assert.Equal(28, (int?)image["error"]!["id"]);
        var detail = image["error"]!["details"]![0]!;
        Assert.Equal((11, "org.osbuild.aws.s3"), ((int?)detail["id"], (string?)detail["details"]));
        Assert.Contains("bucket", (string?)detail["reason"], StringComparison.OrdinalIgnoreCase);
        await using var user = await site.LoginUserAsync();
        var fault = await Assert.ThrowsAnyAsync<KojiFaultException>(() => user.GetTaskResultAsync(task));
        Assert.Matches(@"^Compose failed \(id: [0-9a-f-]{36}\): x86_64 guest-image: at least one target failed", fault.FaultString);
        var build = Assert.Single(site.Read(s => s.Builds.Values.ToList()));
        Assert.Equal(BuildState.Failed, build.State);
        Assert.Equal(build.Id, (long)status["koji_build_id"]!);
    }

    private static string GenericStore(string bucket)
    {
        var credentials = Path.Combine(Path.GetTempPath(), $"kc-s3-credentials-{Guid.NewGuid():N}");
        File.WriteAllText(credentials, $"[default]\naws_access_key_id = {TestStack.S3AccessKey}\naws_secret_access_key = {TestStack.S3AccessKey}\n");
        return $"""
            [builder.targets.generic_s3.lab]
            region = "lab-1"
            endpoint = "{TestStack.S3Endpoint.AbsoluteUri.TrimEnd('/')}"
            bucket = "{bucket}"
            credentials = "{credentials}"
            """;
    }

    private static AmazonS3Client S3Client() => new(
        new BasicAWSCredentials(TestStack.S3AccessKey, TestStack.S3AccessKey),
        new AmazonS3Config { ServiceURL = TestStack.S3Endpoint.AbsoluteUri, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
}
