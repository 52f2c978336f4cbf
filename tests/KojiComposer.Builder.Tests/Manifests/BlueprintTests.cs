using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Tests.Manifests;

/// <summary>Customizations (composer's shape) as the blueprint image-builder reads them (recorded by the stand-in).</summary>
public sealed class BlueprintTests : IDisposable
{
    private readonly GeneratorKit _kit = new();

    [Fact]
    public async Task Blueprint_IsEmptyButNamed_WithoutCustomizations()
    {
        var blueprint = await BlueprintForAsync(null);

        Assert.Equal("""{"name":"kojicomposer-image","version":"0.0.1"}""", blueprint.ToJsonString());
    }

    [Fact]
    public async Task Blueprint_HasPackagesAtTheTopLevel_AsNameObjects()
    {
        var blueprint = await BlueprintForAsync(new JsonObject { ["packages"] = new JsonArray("emacs", "cloud-init") });

        Assert.Equal("""[{"name":"emacs"},{"name":"cloud-init"}]""", blueprint["packages"]!.ToJsonString());
        Assert.Null(blueprint["customizations"]);
    }

    [Theory]
    [InlineData("users", """[{"name":"admin","groups":["wheel"],"key":"ssh-ed25519 AAAA","password":"$6$x"}]""", "user", """[{"name":"admin","groups":["wheel"],"key":"ssh-ed25519 AAAA","password":"$6$x"}]""")]
    [InlineData("groups", """[{"name":"builders","gid":1050}]""", "group", """[{"name":"builders","gid":1050}]""")]
    [InlineData("filesystem", """[{"mountpoint":"/var","min_size":2147483648}]""", "filesystem", """[{"mountpoint":"/var","minsize":2147483648}]""")]
    [InlineData("fips", """{"enabled":true}""", "fips", "true")]
    [InlineData("services", """{"enabled":["sshd"],"disabled":["kdump"],"masked":["rpcbind"]}""", "services", """{"enabled":["sshd"],"disabled":["kdump"],"masked":["rpcbind"]}""")]
    [InlineData("kernel", """{"name":"kernel-rt","append":"nosmt"}""", "kernel", """{"name":"kernel-rt","append":"nosmt"}""")]
    [InlineData("timezone", """{"timezone":"Europe/Prague","ntpservers":["pool.ntp.org"]}""", "timezone", """{"timezone":"Europe/Prague","ntpservers":["pool.ntp.org"]}""")]
    [InlineData("locale", """{"languages":["en_US.UTF-8"],"keyboard":"us"}""", "locale", """{"languages":["en_US.UTF-8"],"keyboard":"us"}""")]
    [InlineData("firewall", """{"ports":["22:tcp"],"services":{"enabled":["ssh"]}}""", "firewall", """{"ports":["22:tcp"],"services":{"enabled":["ssh"]}}""")]
    [InlineData("hostname", "\"builder.example.com\"", "hostname", "\"builder.example.com\"")]
    [InlineData("files", """[{"path":"/etc/motd","data":"hi","mode":"0644"}]""", "files", """[{"path":"/etc/motd","data":"hi","mode":"0644"}]""")]
    [InlineData("directories", """[{"path":"/srv/data","ensure_parents":true}]""", "directories", """[{"path":"/srv/data","ensure_parents":true}]""")]
    [InlineData("partitioning_mode", "\"lvm\"", "partitioning_mode", "\"lvm\"")]
    [InlineData("openscap", """{"profile_id":"xccdf_org.ssgproject.content_profile_cis"}""", "openscap", """{"profile_id":"xccdf_org.ssgproject.content_profile_cis"}""")]
    [InlineData("installation_device", "\"/dev/vda\"", "installation_device", "\"/dev/vda\"")]
    [InlineData("cacerts", """{"pem_certs":["-----BEGIN CERTIFICATE-----"]}""", "cacerts", """{"pem_certs":["-----BEGIN CERTIFICATE-----"]}""")]
    [InlineData("custom_repositories", """[{"id":"extra","baseurl":["https://r/x"],"gpgkey":["https://r/key"],"check_gpg":true}]""", "repositories", """[{"id":"extra","baseurls":["https://r/x"],"gpgkeys":["https://r/key"],"gpgcheck":true}]""")]
    [InlineData("payload_repositories", """[{"baseurl":"https://p/x","check_gpg":false,"ignore_ssl":true}]""", "repositories", """[{"id":"payload-1","install_from":true,"baseurls":["https://p/x"],"gpgcheck":false,"sslverify":false}]""")]
    public async Task Blueprint_CarriesEachCustomization_UnderTheBlueprintsName(string key, string value, string blueprintKey, string expected)
    {
        var blueprint = await BlueprintForAsync(new JsonObject { [key] = JsonNode.Parse(value) });

        Assert.Equal(expected, blueprint["customizations"]![blueprintKey]!.ToJsonString());
    }

    [Theory]
    [InlineData("enabled_modules", """[{"name":"nodejs","stream":"20"}]""")]
    [InlineData("containers", """[{"source":"registry.example.com/app:1","tls_verify":true}]""")]
    public async Task Blueprint_CarriesModulesAndContainers_AtTheTopLevel(string key, string value)
    {
        var blueprint = await BlueprintForAsync(new JsonObject { [key] = JsonNode.Parse(value) });

        Assert.Equal(value, blueprint[key]!.ToJsonString());
    }

    [Fact]
    public async Task Generate_RefusesAnUnknownCustomization_NamingIt()
    {
        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            _kit.ImageBuilder().GenerateAsync(_kit.Request(customizations: new JsonObject { ["packages"] = new JsonArray("a"), ["colour"] = "blue" }), CancellationToken.None));

        Assert.Equal((29, "customizations: \"colour\" is not a known customization"), (error.Error.Id, error.Error.Reason));
        Assert.False(File.Exists(_kit.RecordFile), "image-builder ran");
    }

    [Fact]
    public async Task Generate_RefusesAnUnknownUserKey_WithoutQuotingThePassword()
    {
        var users = JsonNode.Parse("""[{"name":"admin","password":"hunter2-secret","pasword":"typo"}]""");

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            _kit.ImageBuilder().GenerateAsync(_kit.Request(customizations: new JsonObject { ["users"] = users }), CancellationToken.None));

        Assert.Equal((29, "customizations: \"users\": \"pasword\" is not a known key"), (error.Error.Id, error.Error.Reason));
        Assert.DoesNotContain("hunter2-secret", error.Error.ToJson().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_RefusesSubscription_WhichImageBuilderBlueprintsCannotCarry()
    {
        var error = await Assert.ThrowsAsync<ComposeStepException>(() => _kit.ImageBuilder().GenerateAsync(
            _kit.Request(customizations: new JsonObject { ["subscription"] = new JsonObject { ["organization"] = "1", ["activation_key"] = "k3y-value" } }),
            CancellationToken.None));

        Assert.Equal(29, error.Error.Id);
        Assert.StartsWith("customizations: \"subscription\" is not supported by the image-builder manifest generator", error.Error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("k3y-value", error.Error.ToJson().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_RefusesPackagesThatAreNotNames()
    {
        var error = await Assert.ThrowsAsync<ComposeStepException>(() => _kit.ImageBuilder().GenerateAsync(
            _kit.Request(customizations: new JsonObject { ["packages"] = new JsonArray(1) }), CancellationToken.None));

        Assert.Equal((29, "customizations: \"packages\" must be a list of package names"), (error.Error.Id, error.Error.Reason));
    }

    public void Dispose() => _kit.Dispose();

    private async Task<JsonObject> BlueprintForAsync(JsonObject? customizations)
    {
        await _kit.ImageBuilder().GenerateAsync(_kit.Request(customizations: customizations), CancellationToken.None);
        return _kit.Record()["blueprint"]!.AsObject();
    }
}
