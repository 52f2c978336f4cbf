using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KojiComposer.Testing;
using KojiComposer.Testing.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Azure;

/// <summary>
/// Azure Resource Manager and the Microsoft Entra ID token endpoint on https://localhost:PORT (a private CA: the SDKs
/// send bearer tokens over https only), speaking their JSON: resource groups, storage accounts (list, create as an
/// asynchronous operation, listKeys answering azurite's account key) and managed images (PUT with an
/// Azure-AsyncOperation to poll). Records every request as <c>METHOD /path</c> (no query) with its body.
/// </summary>
internal sealed class FakeAzureCloud : IAsyncDisposable
{
    public const string Token = "fake-arm-access-token";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Recorded> _requests = new();
    private int _imagePolls;

    private FakeAzureCloud(WebApplication app, TestCertificates certificates)
    {
        _app = app;
        Certificates = certificates;
    }

    public TestCertificates Certificates { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>The resource group's location (GET resource group).</summary>
    public string ResourceGroupLocation { get; set; } = "eastus";

    /// <summary>The storage accounts the resource group lists; a created one is added.</summary>
    public List<JsonObject> StorageAccounts { get; } = [];

    /// <summary>Names a PUT of a storage account answers 409 StorageAccountAlreadyTaken for.</summary>
    public HashSet<string> TakenAccountNames { get; } = [];

    /// <summary>When set, the image operation ends Failed with this error.</summary>
    public (string Code, string Message)? ImageFailure { get; set; }

    /// <summary>How many polls of a storage account creation answer 202 (still running, no Location header, as ARM
    /// may answer) before 200; listKeys of an account still being created answers 409 StorageAccountIsNotProvisioned.</summary>
    public int AccountPendingPolls { get; set; }

    /// <summary>When set, the token endpoint refuses the client (AADSTS7000215).</summary>
    public bool RejectClient { get; set; }

    /// <summary>Requests whose <c>METHOD /path</c> starts with a key get that status with an ARM error body.</summary>
    public Dictionary<string, int> Faults { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The managed images by path (a PUT stores its body, a DELETE removes it).</summary>
    public ConcurrentDictionary<string, JsonObject> Images { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, a stored image carries this upload token, as if another upload had put it right after us.</summary>
    public string? ForeignImageToken { get; set; }

    public IReadOnlyList<Recorded> Requests => [.. _requests];

    /// <summary>The requests as <c>METHOD /path</c> (MSAL with instance discovery off asks for no metadata: the token POST comes first).</summary>
    public IReadOnlyList<string> Sequence => [.. Requests.Select(r => r.Line)];

    public static async Task<FakeAzureCloud> StartAsync()
    {
        var certificates = TestCertificates.Create("localhost");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificates.Server)));
        var app = builder.Build();
        var cloud = new FakeAzureCloud(app, certificates);
        app.Run(cloud.HandleAsync);
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        cloud.Url = new Uri($"https://localhost:{port}/");
        return cloud;
    }

    /// <summary>An account in the resource group as ARM lists it.</summary>
    public static JsonObject Account(string name, string location, string? tag) => new()
    {
        ["id"] = $"/subscriptions/0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{name}",
        ["name"] = name,
        ["type"] = "Microsoft.Storage/storageAccounts",
        ["location"] = location,
        ["kind"] = "StorageV2",
        ["tags"] = tag is null ? new JsonObject() : new JsonObject { ["imageBuilderStorageAccount"] = tag },
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var line = $"{request.Method} {path}";
        _requests.Enqueue(new Recorded(line, body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonNode.Parse(body) : null, body,
            request.Headers.Authorization.ToString()));
        var lower = path.ToLowerInvariant();
        var segments = path.Trim('/').Split('/');

        if (Faults.FirstOrDefault(f => line.StartsWith(f.Key, StringComparison.OrdinalIgnoreCase)) is { Key: not null } fault)
        {
            await Error(context, fault.Value, "ServerBusy", $"the fake answers {fault.Value} to {line}");
            return;
        }

        if (lower.EndsWith("/v2.0/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            var tenant = segments[0];
            await Json(context, 200, new JsonObject
            {
                ["token_endpoint"] = $"{Url}{tenant}/oauth2/v2.0/token",
                ["issuer"] = $"{Url}{tenant}/v2.0",
                ["authorization_endpoint"] = $"{Url}{tenant}/oauth2/v2.0/authorize",
            });
        }
        else if (lower.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            if (RejectClient)
            {
                await Json(context, 401, new JsonObject
                {
                    ["error"] = "invalid_client",
                    ["error_description"] = "AADSTS7000215: Invalid client secret provided.",
                    ["error_codes"] = new JsonArray(7000215),
                });
                return;
            }

            await Json(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = Token });
        }
        else if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            await Error(context, 401, "InvalidAuthenticationToken", "no or a wrong bearer token");
        }
        else if (segments.Length == 4 && lower.StartsWith("/subscriptions/", StringComparison.Ordinal) && segments[2].Equals("resourcegroups", StringComparison.OrdinalIgnoreCase))
        {
            await Json(context, 200, new JsonObject
            {
                ["id"] = $"/subscriptions/{segments[1]}/resourceGroups/{segments[3]}",
                ["name"] = segments[3],
                ["location"] = ResourceGroupLocation,
                ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
            });
        }
        else if (lower.EndsWith("/providers/microsoft.storage/storageaccounts", StringComparison.Ordinal) && request.Method == "GET")
        {
            await Json(context, 200, new JsonObject { ["value"] = new JsonArray([.. StorageAccounts.Select(a => a.DeepClone())]) });
        }
        else if (lower.Contains("/providers/microsoft.storage/storageaccounts/", StringComparison.Ordinal) && lower.EndsWith("/listkeys", StringComparison.Ordinal))
        {
            if (AccountPendingPolls > 0)
            {
                await Error(context, 409, "StorageAccountIsNotProvisioned", $"The storage account provisioning state must be 'Succeeded' before executing the operation.");
                return;
            }

            await Json(context, 200, new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject { ["keyName"] = "key1", ["value"] = TestStack.AzuriteAccountKey, ["permissions"] = "FULL" }),
            });
        }
        else if (lower.Contains("/providers/microsoft.storage/storageaccounts/", StringComparison.Ordinal) && request.Method == "PUT")
        {
            var name = segments[^1];
            if (TakenAccountNames.Contains(name))
            {
                await Error(context, 409, "StorageAccountAlreadyTaken", $"The storage account named {name} is already taken.");
                return;
            }

            var sent = JsonNode.Parse(body)!;
            var account = Account(name, sent["location"]!.GetValue<string>(), sent["tags"]?["imageBuilderStorageAccount"]?.GetValue<string>());
            StorageAccounts.Add(account);
            context.Response.Headers.Location = $"{Url}subscriptions/{segments[1]}/providers/Microsoft.Storage/locations/{account["location"]}/asyncoperations/create-{name}?monitor=true&api-version=2023-01-01";
            context.Response.Headers.RetryAfter = "0";
            context.Response.StatusCode = 202;
        }
        else if (lower.Contains("/providers/microsoft.storage/locations/", StringComparison.Ordinal) && lower.Contains("/asyncoperations/create-", StringComparison.Ordinal))
        {
            var name = segments[^1]["create-".Length..];
            if (AccountPendingPolls > 0)
            {
                AccountPendingPolls--;
                context.Response.Headers.RetryAfter = "0";
                context.Response.StatusCode = 202;
                return;
            }

            await Json(context, 200, StorageAccounts.First(a => a["name"]!.GetValue<string>() == name));
        }
        else if (lower.Contains("/providers/microsoft.compute/images/", StringComparison.Ordinal) && request.Method == "PUT")
        {
            var image = JsonNode.Parse(body)!.AsObject();
            image["id"] = path;
            image["name"] = segments[^1];
            image["type"] = "Microsoft.Compute/images";
            image["properties"]!["provisioningState"] = "Creating";
            Images[path] = (JsonObject)image.DeepClone();
            if (ForeignImageToken is { } foreign)
            {
                Images[path]["tags"] = new JsonObject { ["kojicomposer-upload"] = foreign }; // another upload's PUT came after ours
            }
            context.Response.Headers["Azure-AsyncOperation"] = $"{Url}subscriptions/{segments[1]}/providers/Microsoft.Compute/locations/{image["location"]}/operations/image-{segments[^1]}?api-version=2022-08-01";
            context.Response.Headers.RetryAfter = "0";
            await Json(context, 201, image);
        }
        else if (lower.Contains("/providers/microsoft.compute/locations/", StringComparison.Ordinal) && lower.Contains("/operations/image-", StringComparison.Ordinal))
        {
            context.Response.Headers.RetryAfter = "0";
            var status = ImageFailure is not null ? "Failed" : Interlocked.Increment(ref _imagePolls) == 1 ? "InProgress" : "Succeeded";
            var operation = new JsonObject { ["name"] = segments[^1], ["status"] = status, ["startTime"] = "2026-12-02T12:00:00Z" };
            if (ImageFailure is { } failure)
            {
                operation["error"] = new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message };
            }

            await Json(context, 200, operation);
        }
        else if (lower.Contains("/providers/microsoft.compute/images/", StringComparison.Ordinal) && request.Method == "GET")
        {
            if (!Images.TryGetValue(path, out var stored))
            {
                await Error(context, 404, "ResourceNotFound", $"The Resource 'Microsoft.Compute/images/{segments[^1]}' was not found.");
                return;
            }

            var image = (JsonObject)stored.DeepClone();
            image["properties"]!["provisioningState"] = ImageFailure is null ? "Succeeded" : "Failed";
            await Json(context, 200, image);
        }
        else if (lower.Contains("/providers/microsoft.compute/images/", StringComparison.Ordinal) && request.Method == "DELETE")
        {
            context.Response.StatusCode = Images.TryRemove(path, out _) ? 200 : 204;
        }
        else
        {
            await Error(context, 404, "NotFound", $"the fake does not know {line}");
        }
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Json(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificates.Dispose();
    }

    /// <summary>One request: <c>METHOD /path</c>, its JSON body (or null), its text and Authorization header.</summary>
    internal sealed record Recorded(string Line, JsonNode? Body, string Text, string Authorization);
}
