using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Koji.Intake;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

public sealed class TaskDocumentsSecretsTests
{
    [Fact]
    public void ComposeRequestForTask_RedactsPasswordsKeysAndUrlCredentials_AndKeepsEverythingElse()
    {
        var request = JsonNode.Parse("""
            {"customizations": {"users": [{"name": "admin", "password": "$6$salt$hash", "key": "ssh-ed25519 AAAA admin"}],
                                "subscription": {"organization": "1", "activation_key": "ak-secret"}},
             "distribution": "fedora-42",
             "image_requests": [{"architecture": "x86_64", "image_type": "guest-image",
                                 "repositories": [{"baseurl": "https://releng:s3cr3t@cdn.example.com/repo/x86_64", "rhsm": false}]}],
             "koji": {"name": "Fedora-Cloud", "release": "1", "server": "https://koji.example.com/kojihub", "task_id": 7, "version": "42"}}
            """)!.AsObject();

        var redacted = TaskDocuments.ComposeRequestForTask(request);
        var attached = PythonJson.Serialize(redacted);

        Assert.DoesNotContain("$6$salt$hash", attached, StringComparison.Ordinal);
        Assert.DoesNotContain("ak-secret", attached, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", attached, StringComparison.Ordinal);
        Assert.Equal("<redacted>", (string?)redacted["customizations"]!["users"]![0]!["password"]);
        Assert.Equal("<redacted>", (string?)redacted["customizations"]!["subscription"]!["activation_key"]);
        Assert.Contains("https://<redacted>@cdn.example.com/repo/x86_64", attached, StringComparison.Ordinal);
        Assert.Contains("ssh-ed25519 AAAA admin", attached, StringComparison.Ordinal); // a public key is no secret
        Assert.Equal("1", (string?)redacted["customizations"]!["subscription"]!["organization"]);
        Assert.Contains("$6$salt$hash", request.ToJsonString(), StringComparison.Ordinal); // the compose keeps it
    }
}
