using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>
/// The real <see cref="IAzureManagement"/>: Azure Resource Manager at <c>resource_manager_endpoint</c> with the
/// service principal's bearer token. Managed images go through Azure.ResourceManager.Compute (its long-running
/// operation polling included). Resource groups and storage accounts are plain REST calls on an Azure.Core pipeline
/// (same credential, retries and transport): Azure.ResourceManager.Storage is not available to us, and the generic
/// resources of Azure.ResourceManager cannot call <c>listKeys</c> and look API versions up first.
/// </summary>
internal sealed class AzureResourceManager : IAzureManagement
{
    // API versions of the REST calls (ARM documents them per resource provider).
    private const string ResourceGroupsApiVersion = "2022-09-01";
    private const string StorageApiVersion = "2023-01-01";

    // How long a new storage account may take to be provisioned (usually well under a minute).
    private static readonly TimeSpan StorageAccountTimeout = TimeSpan.FromMinutes(30);

    private static readonly ArmEnvironment[] KnownClouds =
        [ArmEnvironment.AzurePublicCloud, ArmEnvironment.AzureChina, ArmEnvironment.AzureGovernment, ArmEnvironment.AzureGermany];

    private readonly Uri _endpoint;
    private readonly string _subscriptionId;
    private readonly HttpPipeline _pipeline;
    private readonly ArmClient _arm;

    public AzureResourceManager(TokenCredential credential, Uri endpoint, string subscriptionId, Action<ClientOptions> configure)
    {
        var environment = EnvironmentFor(endpoint);
        _endpoint = WithSlash(environment.Endpoint);
        _subscriptionId = subscriptionId;
        var restOptions = new RestOptions();
        configure(restOptions);
        _pipeline = HttpPipelineBuilder.Build(restOptions, new BearerTokenAuthenticationPolicy(credential, environment.DefaultScope));
        var armOptions = new ArmClientOptions { Environment = environment };
        configure(armOptions);
        _arm = new ArmClient(credential, subscriptionId, armOptions);
    }

    /// <summary>A public cloud's environment (its token audience), or <paramref name="endpoint"/> as its own audience.</summary>
    internal static ArmEnvironment EnvironmentFor(Uri endpoint)
    {
        foreach (var cloud in KnownClouds)
        {
            if (Uri.Compare(cloud.Endpoint, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return cloud;
            }
        }

        return new ArmEnvironment(WithSlash(endpoint), endpoint.GetLeftPart(UriPartial.Authority));
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    public async Task<string> GetResourceGroupLocationAsync(string resourceGroup, CancellationToken cancellationToken)
    {
        var group = await SendAsync(RequestMethod.Get, $"{GroupPath(resourceGroup)}?api-version={ResourceGroupsApiVersion}", null, cancellationToken).ConfigureAwait(false);
        return group.Body?["location"]?.GetValue<string>() is { Length: > 0 } location
            ? location
            : throw new RequestFailedException(200, $"resource group {resourceGroup} has no location in ARM's answer", "NoLocation", null);
    }

    public async Task<IReadOnlyList<AzureStorageAccount>> ListStorageAccountsAsync(string resourceGroup, CancellationToken cancellationToken)
    {
        var accounts = new List<AzureStorageAccount>();
        string? next = $"{GroupPath(resourceGroup)}/providers/Microsoft.Storage/storageAccounts?api-version={StorageApiVersion}";
        while (next is not null)
        {
            var page = await SendAsync(RequestMethod.Get, next, null, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Body?["value"]?.AsArray() ?? [])
            {
                var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // ARM tag names ignore case
                foreach (var (key, value) in item?["tags"]?.AsObject() ?? [])
                {
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        tags[key] = v.GetValue<string>();
                    }
                }

                accounts.Add(new AzureStorageAccount(Text(item, "name"), Text(item, "location"), tags));
            }

            next = page.Body?["nextLink"]?.GetValue<string>();
        }

        return accounts;
    }

    public async Task CreateStorageAccountAsync(string resourceGroup, AzureStorageAccount account, CancellationToken cancellationToken)
    {
        var tags = new JsonObject();
        foreach (var (key, value) in account.Tags)
        {
            tags[key] = value;
        }

        var body = new JsonObject
        {
            ["location"] = account.Location,
            ["sku"] = new JsonObject { ["name"] = "Standard_LRS" },
            ["kind"] = "StorageV2",
            ["tags"] = tags,
            ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_2", ["allowBlobPublicAccess"] = false },
        };
        var path = $"{AccountPath(resourceGroup, account.Name)}?api-version={StorageApiVersion}";
        var answer = await SendAsync(RequestMethod.Put, path, body, cancellationToken).ConfigureAwait(false);

        // Storage accounts are created asynchronously: 202 with a Location to poll until it answers 200
        // (ARM's async operation pattern: a 202 of the poll itself need not repeat the Location, then the last one
        // still holds); a 200/201 may still say "Creating" in provisioningState. Bounded: an account that ARM
        // never provisions fails the step instead of polling until the build is canceled.
        var started = TimeProvider.System.GetTimestamp();
        string? poll = null;
        while (true)
        {
            if (TimeProvider.System.GetElapsedTime(started) > StorageAccountTimeout)
            {
                throw new RequestFailedException(200, $"storage account {account.Name} was not provisioned within {StorageAccountTimeout.TotalMinutes:0} minutes", "ProvisioningTimeout", null);
            }

            if (answer.Status == 202 && (answer.Location ?? poll) is { } location)
            {
                poll = location;
                await Task.Delay(answer.RetryAfter, cancellationToken).ConfigureAwait(false);
                answer = await SendAsync(RequestMethod.Get, location, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var state = answer.Body?["properties"]?["provisioningState"]?.GetValue<string>();
            if (state is null || string.Equals(state, "Succeeded", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (state is "Failed" or "Canceled")
            {
                throw new RequestFailedException(200, $"creating storage account {account.Name} ended in state {state}", state, null);
            }

            await Task.Delay(answer.RetryAfter, cancellationToken).ConfigureAwait(false);
            answer = await SendAsync(RequestMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string> GetStorageAccountKeyAsync(string resourceGroup, string accountName, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(RequestMethod.Post, $"{AccountPath(resourceGroup, accountName)}/listKeys?api-version={StorageApiVersion}", null, cancellationToken).ConfigureAwait(false);
        var keys = answer.Body?["keys"]?.AsArray() ?? [];
        return keys.Select(k => k?["value"]?.GetValue<string>()).FirstOrDefault(k => !string.IsNullOrEmpty(k))
            ?? throw new RequestFailedException(200, $"storage account {accountName} has no keys", "NoKeys", null);
    }

    public async Task CreateImageAsync(string resourceGroup, AzureImageRequest image, CancellationToken cancellationToken)
    {
        var group = _arm.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(_subscriptionId, resourceGroup));
        var data = new DiskImageData(new AzureLocation(image.Location))
        {
            StorageProfile = new ImageStorageProfile
            {
                OSDisk = new ImageOSDisk(SupportedOperatingSystemType.Linux, OperatingSystemStateType.Generalized) { BlobUri = image.BlobUri },
            },
            HyperVGeneration = new HyperVGeneration(image.HyperVGeneration),
        };
        data.Tags[AzureImageTarget.UploadTag] = image.UploadToken;
        await group.GetDiskImages().CreateOrUpdateAsync(WaitUntil.Completed, image.Name, data, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteImageAsync(string resourceGroup, string name, string uploadToken, CancellationToken cancellationToken)
    {
        var group = _arm.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(_subscriptionId, resourceGroup));
        DiskImageResource image;
        try
        {
            image = (await group.GetDiskImages().GetAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }

        if (!image.Data.Tags.TryGetValue(AzureImageTarget.UploadTag, out var token) || !string.Equals(token, uploadToken, StringComparison.Ordinal))
        {
            return false;
        }

        await image.DeleteAsync(WaitUntil.Completed, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private string GroupPath(string resourceGroup) =>
        $"subscriptions/{Uri.EscapeDataString(_subscriptionId)}/resourcegroups/{Uri.EscapeDataString(resourceGroup)}";

    private string AccountPath(string resourceGroup, string account) =>
        $"{GroupPath(resourceGroup)}/providers/Microsoft.Storage/storageAccounts/{Uri.EscapeDataString(account)}";

    private static string Text(JsonNode? item, string key) =>
        item?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    private async Task<Answer> SendAsync(RequestMethod method, string pathOrUrl, JsonNode? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(_endpoint, pathOrUrl));
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToJsonString()));
        }
        else if (method == RequestMethod.Post || method == RequestMethod.Put)
        {
            request.Content = RequestContent.Create(Array.Empty<byte>());
        }

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        JsonNode? json = null;
        if (response.Content.ToMemory().Length > 0)
        {
            try
            {
                json = JsonNode.Parse(response.Content.ToMemory().Span);
            }
            catch (JsonException) when (response.IsError)
            {
                // an error page that is not ARM's JSON: the status says enough
            }
        }

        if (response.IsError)
        {
            var error = json?["error"];
            var code = error?["code"]?.GetValue<string>();
            var text = error?["message"]?.GetValue<string>() ?? $"{response.Status} {response.ReasonPhrase}";
            throw new RequestFailedException(response.Status, text, code, null);
        }

        var retryAfter = response.Headers.TryGetValue("Retry-After", out var seconds)
            && int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(Math.Min(s, 60)) : TimeSpan.FromSeconds(5);
        return new Answer(response.Status, json, response.Headers.TryGetValue("Location", out var location) ? location : null, retryAfter);
    }

    private sealed record Answer(int Status, JsonNode? Body, string? Location, TimeSpan RetryAfter);

    private sealed class RestOptions : ClientOptions;
}
