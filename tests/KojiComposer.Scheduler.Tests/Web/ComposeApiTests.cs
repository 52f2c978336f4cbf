using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using KojiComposer.Scheduler.Model;
using static KojiComposer.Scheduler.Tests.Web.ApiResponses;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>The compose API over HTTP, as the koji-osbuild plugin and operators use it.</summary>
public sealed class ComposeApiTests : IAsyncLifetime
{
    private WebApp _web = null!;

    public async Task InitializeAsync() => _web = await WebApp.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    internal static JsonObject KojiRequest() => new()
    {
        ["distribution"] = "rhel-9.6",
        ["koji"] = new JsonObject
        {
            ["server"] = "https://brew.example.test/brewhub",
            ["task_id"] = 123456,
            ["name"] = "rhel-guest-image",
            ["version"] = "9.6",
            ["release"] = "20250601.0",
        },
        ["image_requests"] = new JsonArray(
            SampleComposes.ImageRequest("x86_64", "guest-image"),
            SampleComposes.ImageRequest("x86_64", "aws-rhui", new JsonObject { ["region"] = "us-east-1" })),
        ["customizations"] = new JsonObject { ["packages"] = new JsonArray("cloud-init") },
    };

    [Fact]
    public async Task Submit_Returns201WithTheComposeId_AndOneImagePerRequestEntry()
    {
        var response = await _web.Client.PostJsonAsync(Base + "compose", KojiRequest().ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("ComposeId", response.Body["kind"]!.GetValue<string>());
        Assert.Equal("/api/image-builder-composer/v2/compose", response.Body["href"]!.GetValue<string>());
        var submitted = Assert.Single(_web.Operations.Submitted);
        Assert.Equal("rhel-guest-image-9.6-20250601.0", submitted.Nvr);
        Assert.Equal(123456, submitted.KojiTaskId);
        Assert.Equal("https://brew.example.test/brewhub", submitted.KojiServer);
        Assert.Equal("rhel-9.6", submitted.Distribution);
        Assert.Equal(["guest-image", "aws-rhui"], submitted.Images.Select(i => i.ImageType));
        Assert.Equal(KojiRequest()["image_requests"]![1]!.ToJsonString(), submitted.Images[1].ImageRequest.ToJsonString());
        Assert.Equal("""{"packages":["cloud-init"]}""", submitted.Customizations!.ToJsonString());
        Assert.Equal("local", submitted.SubmittedBy);
        var stored = await _web.Store.GetAsync(Guid.Parse(response.Body["id"]!.GetValue<string>()), default);
        Assert.NotNull(stored);
    }

    [Fact]
    public async Task Submit_GivesEachComposeItsOwnSeed()
    {
        var first = KojiRequest();
        var second = KojiRequest();
        second["koji"]!["task_id"] = 123457;

        await _web.Client.PostJsonAsync(Base + "compose", first.ToJsonString());
        await _web.Client.PostJsonAsync(Base + "compose", second.ToJsonString());

        Assert.Equal(2, _web.Operations.Submitted.Select(c => c.Seed).Distinct().Count());
    }

    [Fact]
    public async Task Submit_Refuses_NonJsonContent_WithError3()
    {
        var response = await _web.Client.PostJsonAsync(Base + "compose", "distribution=x", "application/x-www-form-urlencoded");

        response.AssertError(HttpStatusCode.UnsupportedMediaType, 3, "Only 'application/json' content is supported");
        Assert.Empty(_web.Operations.Submitted);
    }

    [Fact]
    public async Task Submit_Refuses_MalformedJson_WithError20()
    {
        var response = await _web.Client.PostJsonAsync(Base + "compose", """{"distribution": """);

        response.AssertError(HttpStatusCode.BadRequest, 20, "Malformed json, unable to decode body");
    }

    public static TheoryData<string, int, string> InvalidRequests() => new()
    {
        { "remove:koji", 30, "Request could not be validated" },
        { "remove:distribution", 30, "Request could not be validated" },
        { "koji.task_id=-1", 30, "Request could not be validated" },
        { "koji.extra=1", 30, "Request could not be validated" },
        { "image.extra=1", 30, "Request could not be validated" },
        { "remove:image.repositories", 30, "Request could not be validated" },
        { "both-image-request-keys", 25, "Compose request has unsupported number of image builds" },
        { "empty-image-requests", 25, "Compose request has unsupported number of image builds" },
        { "distribution=not a distro", 4, "Unsupported distribution" },
        { "image.architecture=mips", 5, "Unsupported architecture" },
        { "image.image_type=floppy", 6, "Unsupported image type" },
        { "repository-without-url", 7, "Must specify baseurl, mirrorlist, or metalink" },
        { "check-gpg-without-key", 29, "Invalid repository, when check_gpg is set, gpgkey must be specified" },
        { "ostree-contenturl-without-url", 27, "Invalid OSTree parameters or parameter combination" },
        { "partitioning-mode=btrfs", 37, "Requested partitioning mode is invalid" },
        { "blueprint-and-customizations", 39, "Invalid request, include blueprint or customizations, not both" },
        { "upload-target=azure-for-aws", 38, "Invalid upload target for image type" },
        { "upload-options={}-for-guest-image", 38, "Invalid upload target for image type" },
        { "upload-options-without-region-for-aws", 38, "Invalid upload target for image type" },
        { "upload-targets-aws.s3-without-region", 38, "Invalid upload target for image type" },
        { "upload-options-for-oci", 38, "Invalid upload target for image type" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Submit_Refuses_InvalidRequests_WithComposersErrorIds(string change, int id, string reason)
    {
        var body = KojiRequest();
        var image = body["image_requests"]![0]!.AsObject();
        switch (change)
        {
            case "remove:koji": body.Remove("koji"); break;
            case "remove:distribution": body.Remove("distribution"); break;
            case "koji.task_id=-1": body["koji"]!["task_id"] = -1; break;
            case "koji.extra=1": body["koji"]!["extra"] = 1; break;
            case "image.extra=1": image["extra"] = 1; break;
            case "remove:image.repositories": image.Remove("repositories"); break;
            case "both-image-request-keys": body["image_request"] = SampleComposes.ImageRequest(); break;
            case "empty-image-requests": body["image_requests"] = new JsonArray(); break;
            case "distribution=not a distro": body["distribution"] = "not a distro"; break;
            case "image.architecture=mips": image["architecture"] = "mips"; break;
            case "image.image_type=floppy": image["image_type"] = "floppy"; break;
            case "repository-without-url": image["repositories"] = new JsonArray(new JsonObject { ["rhsm"] = false }); break;
            case "check-gpg-without-key": image["repositories"]![0]!["check_gpg"] = true; break;
            case "ostree-contenturl-without-url": image["ostree"] = new JsonObject { ["contenturl"] = "https://ostree.example.test" }; break;
            case "partitioning-mode=btrfs": body["customizations"]!["partitioning_mode"] = "btrfs"; break;
            case "blueprint-and-customizations": body["blueprint"] = new JsonObject(); break;
            case "upload-target=azure-for-aws":
                body["image_requests"]![1]!["upload_targets"] = new JsonArray(new JsonObject { ["type"] = "azure" });
                break;
            case "upload-options={}-for-guest-image": image["upload_options"] = new JsonObject(); break;
            case "upload-options-without-region-for-aws":
                body["image_requests"]![1]!["upload_options"] = new JsonObject { ["share_with_accounts"] = new JsonArray("123456789012") };
                break;
            case "upload-options-for-oci":
                image["image_type"] = "oci";
                image["upload_options"] = new JsonObject();
                break;
            case "upload-targets-aws.s3-without-region":
                image["upload_targets"] = new JsonArray(new JsonObject { ["type"] = "aws.s3", ["upload_options"] = new JsonObject() });
                break;
        }

        var response = await _web.Client.PostJsonAsync(Base + "compose", body.ToJsonString());

        response.AssertError(HttpStatusCode.BadRequest, id, reason);
        Assert.Empty(_web.Operations.Submitted);
    }

    [Fact]
    public async Task Submit_NamesTheMissingUploadOption_InTheErrorsDetails()
    {
        var body = KojiRequest();
        body["image_requests"]![1]!["upload_options"] = new JsonObject { ["region"] = 7 };

        var response = await _web.Client.PostJsonAsync(Base + "compose", body.ToJsonString());

        response.AssertError(HttpStatusCode.BadRequest, 38, "Invalid upload target for image type");
        Assert.Equal(
            "image request 1: upload_options for target aws: \"region\" is required and must be a non-empty string",
            (string?)response.Body["details"]);
    }

    [Fact]
    public async Task Status_Returns404Error15_ForAnUnknownCompose()
    {
        var response = await _web.Client.GetJsonAsync(Base + "composes/" + Guid.NewGuid());

        response.AssertError(HttpStatusCode.NotFound, 15, "Compose with given id not found");
    }

    [Fact]
    public async Task Status_Returns400Error14_ForAMalformedId()
    {
        var response = await _web.Client.GetJsonAsync(Base + "composes/not-a-uuid");

        response.AssertError(HttpStatusCode.BadRequest, 14, "Invalid format for compose id");
    }

    [Fact]
    public async Task UnknownPath_Returns404Error21_AndWrongMethod405Error22()
    {
        (await _web.Client.GetJsonAsync(Base + "nothing-here")).AssertError(HttpStatusCode.NotFound, 21, "Requested resource doesn't exist");
        (await _web.Client.PostJsonAsync(Base + "composes/" + Guid.NewGuid(), "{}")).AssertError(HttpStatusCode.MethodNotAllowed, 22, "Requested method isn't supported for resource");
    }

    [Fact]
    public async Task Status_OfARunningCompose_ShowsBuildingWithProgressAndTheKojiBuild()
    {
        var compose = await _web.Composes.RunningAsync();

        var (status, body) = await _web.Client.GetJsonAsync(Base + "composes/" + compose.Id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ComposeStatus", body["kind"]!.GetValue<string>());
        Assert.Equal("pending", body["status"]!.GetValue<string>());
        Assert.Equal("building", body["image_statuses"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(3, body["image_statuses"]![0]!["progress"]!["done"]!.GetValue<int>());
        Assert.Equal(42, body["koji_status"]!["build_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Logs_ShowTheReservationWithTheTokenRedacted_AndEachImagesBuildResult()
    {
        var compose = await _web.Composes.FailedAsync();

        using var response = await _web.Client.GetAsync(Base + $"composes/{compose.Id}/logs");
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ComposeLogs", body["kind"]!.GetValue<string>());
        Assert.Equal(42, body["koji"]!["init"]!["build_id"]!.GetValue<long>());
        Assert.Equal("", body["koji"]!["init"]!["token"]!.GetValue<string>());
        Assert.Equal(13, body["koji"]!["import"]!["job_error"]!["id"]!.GetValue<int>());
        Assert.Equal(["x86_64", "aarch64"], body["image_builds"]!.AsArray().Select(b => b!["arch"]!.GetValue<string>()));
        Assert.DoesNotContain(SampleComposes.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("leak", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_AreInImageRequestOrder()
    {
        // Image 1 finishes before image 0.
        var compose = await _web.Composes.FailedAsync();

        var (status, body) = await _web.Client.GetJsonAsync(Base + $"composes/{compose.Id}/manifests");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ComposeManifests", body["kind"]!.GetValue<string>());
        Assert.Equal(["build-0", "build-1"], body["manifests"]!.AsArray().Select(m => m!["pipelines"]![0]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_FiltersByStateNvrTaskAndAge_NewestFirst()
    {
        var now = _web.Time.GetUtcNow();
        var old = await _web.Composes.FailedAsync(StoredComposes.New("Fedora-Container", 1), now.AddDays(-3));
        var running = await _web.Composes.RunningAsync(StoredComposes.New(taskId: 2), now.AddHours(-2));
        var newest = await _web.Composes.RunningAsync(StoredComposes.New(taskId: 3), now.AddMinutes(-5));

        async Task<Guid[]> Ids(string query)
        {
            var (status, body) = await _web.Client.GetJsonAsync(Base + "composes/" + query);
            Assert.Equal(HttpStatusCode.OK, status);
            return body["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToArray();
        }

        Assert.Equal([newest.Id, running.Id, old.Id], await Ids(""));
        Assert.Equal([newest.Id, running.Id], await Ids("?state=running"));
        Assert.Equal([old.Id], await Ids("?nvr=container"));
        Assert.Equal([running.Id], await Ids("?task_id=2"));
        Assert.Equal([newest.Id, running.Id], await Ids("?age=1d"));
        Assert.Equal([newest.Id], await Ids("?age=1h"));
        Assert.Equal([running.Id], await Ids("?limit=1&offset=1"));
    }

    [Fact]
    public async Task List_Refuses_AnUnknownState_WithError30()
    {
        var response = await _web.Client.GetJsonAsync(Base + "composes/?state=exploded");

        var body = response.AssertError(HttpStatusCode.BadRequest, 30, "Request could not be validated");
        Assert.Contains("finalizing", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ByALocalOperator_IsPassedToTheEngine()
    {
        var compose = await _web.Composes.RunningAsync();

        var (status, body) = await _web.Client.PostJsonAsync(Base + $"composes/{compose.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("ComposeCancel", body["kind"]!.GetValue<string>());
        Assert.Equal([compose.Id], _web.Operations.Canceled);
    }

    [Fact]
    public async Task Cancel_OfAFinishedCompose_Returns409Error2001()
    {
        _web.Operations.CancelOutcome = KojiComposer.Scheduler.Store.CancelOutcome.AlreadyFinal;

        var response = await _web.Client.PostJsonAsync(Base + $"composes/{Guid.NewGuid()}/cancel", null);

        response.AssertError(HttpStatusCode.Conflict, 2001, "Compose has already finished");
    }

    [Fact]
    public async Task RetryFailed_ReportsHowManyImagesAreBuiltAgain_And404ForAnUnknownCompose()
    {
        var compose = await _web.Composes.FailedAsync();

        var (status, body) = await _web.Client.PostJsonAsync(Base + $"composes/{compose.Id}/retry-failed", null);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, body["images_reset"]!.GetValue<int>());
        Assert.Equal([compose.Id], _web.Operations.Retried);

        _web.Operations.RetryResult = new KojiComposer.Scheduler.Store.RetryResult(KojiComposer.Scheduler.Store.RetryOutcome.NotFound, 0);
        (await _web.Client.PostJsonAsync(Base + $"composes/{Guid.NewGuid()}/retry-failed", null)).AssertError(HttpStatusCode.NotFound, 15, "Compose with given id not found");
    }

    [Fact]
    public async Task Cancel_FromAnotherSitesPage_IsRefused()
    {
        var compose = await _web.Composes.RunningAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Base + $"composes/{compose.Id}/cancel");
        request.Headers.Add("Origin", "https://evil.example.test");

        using var response = await _web.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_web.Operations.Canceled);
    }

    [Fact]
    public async Task Errors_CatalogueDescribesError15()
    {
        var (status, body) = await _web.Client.GetJsonAsync(Base + "errors/15");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Compose with given id not found", body["reason"]!.GetValue<string>());
        (await _web.Client.GetJsonAsync(Base + "errors/99999")).AssertError(HttpStatusCode.NotFound, 17, "Error with given id not found");
    }

    [Fact]
    public async Task OpenApi_DocumentListsEveryMappedPath()
    {
        var (status, body) = await _web.Client.GetJsonAsync(Base + "openapi");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("3.", body["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var documented = body["paths"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var mapped = MappedApiPaths();
        Assert.NotEmpty(mapped);
        Assert.All(mapped, path => Assert.Contains(path, documented));
        Assert.All(documented, path => Assert.Contains(path, mapped));
    }

    private string[] MappedApiPaths() =>
        _web.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith("/api/image-builder-composer/v2/", StringComparison.Ordinal))
            .Select(p => p["/api/image-builder-composer/v2".Length..])
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
