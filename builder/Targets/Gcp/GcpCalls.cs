using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;
using Google.Apis.Upload;
using Google.Cloud.Storage.V1;
using KojiComposer.Config;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>
/// The real <see cref="IGcpCalls"/>: Cloud Storage through Google.Cloud.Storage.V1 (resumable uploads), Compute
/// Engine through its REST API v1 on Google.Apis' <see cref="ConfigurableHttpClient"/>, both authorized by one
/// Google.Apis.Auth credential (the service account key of <c>credentials</c>, else Application Default
/// Credentials) scoped to compute and devstorage.read_write. There is no Compute client package we can use, hence
/// the few REST calls by hand. Errors become <see cref="GcpApiException"/> with GCP's message; the key and the
/// access token never reach one.
/// </summary>
internal sealed class GcpCalls : IGcpCalls
{
    private static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/compute",
        "https://www.googleapis.com/auth/devstorage.read_write",
    ];

    private static readonly Uri DefaultComputeEndpoint = new("https://compute.googleapis.com/compute/v1/");
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };

    private readonly StorageClient _storage;
    private readonly ConfigurableHttpClient _compute;
    private readonly Uri _computeBase;

    private GcpCalls(StorageClient storage, ConfigurableHttpClient compute, Uri computeBase, string? project)
    {
        _storage = storage;
        _compute = compute;
        _computeBase = computeBase;
        CredentialProject = project;
    }

    public string? CredentialProject { get; }

    /// <summary>Loads the credentials of <paramref name="options"/> and makes the clients.</summary>
    /// <exception cref="TargetFailedException">The credentials cannot be used (InvalidTargetConfig, 2).</exception>
    public static async Task<GcpCalls> ConnectAsync(GcpTargetOptions options, CancellationToken cancellationToken)
    {
        var (credential, project) = await LoadCredentialAsync(options.Credentials, cancellationToken).ConfigureAwait(false);
        var scoped = credential.CreateScoped(Scopes);
        StorageClient storage;
        try
        {
            storage = await new StorageClientBuilder
            {
                GoogleCredential = scoped,
                BaseUri = options.StorageEndpoint?.AbsoluteUri,
                ApplicationName = "KojiComposer",
            }.BuildAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw TargetFailedException.Config($"cannot make the Cloud Storage client: {e.Message}");
        }

        var compute = new HttpClientFactory().CreateHttpClient(new CreateHttpClientArgs
        {
            ApplicationName = "KojiComposer",
            GZipEnabled = true,
            Initializers = { scoped },
        });
        var root = options.ComputeEndpoint ?? DefaultComputeEndpoint;
        var computeBase = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        return new GcpCalls(storage, compute, computeBase, project);
    }

    private static async Task<(GoogleCredential Credential, string? Project)> LoadCredentialAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            try
            {
                var adc = await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false);
                return (adc, (adc.UnderlyingCredential as ServiceAccountCredential)?.ProjectId);
            }
            catch (InvalidOperationException e)
            {
                throw TargetFailedException.Config($"[builder.targets.gcp] has no credentials and there are no Application Default Credentials: {e.Message}");
            }
        }

        try
        {
            var account = await CredentialFactory.FromFileAsync<ServiceAccountCredential>(path, cancellationToken).ConfigureAwait(false);
            return (account.ToGoogleCredential(), account.ProjectId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TargetFailedException.Config($"cannot read the GCP credentials \"{path}\": {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the message: a parser's or a key importer's words may quote the file, which holds the private key.
            throw TargetFailedException.Config($"the GCP credentials \"{path}\" are not a usable service account key (JSON with type \"service_account\", client_email and an RSA private_key)");
        }
    }

    public async Task UploadObjectAsync(string bucket, string objectName, string path, IReadOnlyDictionary<string, string> metadata,
        IProgress<long> progress, CancellationToken cancellationToken)
    {
        var destination = new Google.Apis.Storage.v1.Data.Object
        {
            Bucket = bucket,
            Name = objectName,
            ContentType = "application/gzip",
            Metadata = metadata.ToDictionary(),
        };
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GcpApiException(null, $"cannot read the artifact: {e.Message}", false, e);
        }

        await using (file.ConfigureAwait(false))
        {
            // Each chunk of the resumable upload is its own request, retried by the library; a failed upload throws
            // (UploadObjectAsync rethrows the upload's exception) and leaves no object behind.
            var reporter = new Progress<IUploadProgress>(p => progress.Report(p.BytesSent));
            await Call(() => _storage.UploadObjectAsync(destination, file, new UploadObjectOptions(), cancellationToken, reporter), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> DeleteObjectAsync(string bucket, string objectName, CancellationToken cancellationToken)
    {
        try
        {
            await Call(() => _storage.DeleteObjectAsync(bucket, objectName, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GcpApiException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }

    public async Task<GcpImage?> GetImageAsync(string project, string name, CancellationToken cancellationToken)
    {
        try
        {
            var image = await SendAsync(HttpMethod.Get, $"projects/{Escape(project)}/global/images/{Escape(name)}", null, cancellationToken).ConfigureAwait(false);
            var labels = (image["labels"] as JsonObject)?
                .Where(l => l.Value is JsonValue)
                .ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal) ?? [];
            return new GcpImage(image["name"]?.ToString() ?? name, image["status"]?.ToString() ?? "", labels);
        }
        catch (GcpApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    public async Task<GcpOperation> InsertImageAsync(string project, JsonObject image, CancellationToken cancellationToken) =>
        Operation(await SendAsync(HttpMethod.Post, $"projects/{Escape(project)}/global/images", image, cancellationToken).ConfigureAwait(false));

    public async Task<GcpOperation> DeleteImageAsync(string project, string name, CancellationToken cancellationToken) =>
        Operation(await SendAsync(HttpMethod.Delete, $"projects/{Escape(project)}/global/images/{Escape(name)}", null, cancellationToken).ConfigureAwait(false));

    public async Task<GcpOperation> GetOperationAsync(string project, string name, CancellationToken cancellationToken) =>
        Operation(await SendAsync(HttpMethod.Get, $"projects/{Escape(project)}/global/operations/{Escape(name)}", null, cancellationToken).ConfigureAwait(false));

    public Task<JsonObject> GetImageIamPolicyAsync(string project, string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"projects/{Escape(project)}/global/images/{Escape(name)}/getIamPolicy", null, cancellationToken);

    public Task<JsonObject> SetImageIamPolicyAsync(string project, string name, JsonObject policy, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"projects/{Escape(project)}/global/images/{Escape(name)}/setIamPolicy", new JsonObject { ["policy"] = policy }, cancellationToken);

    public void Dispose()
    {
        _storage.Dispose();
        _compute.Dispose();
    }

    /// <summary>One Compute call: the JSON answer, or GCP's <c>{"error": {"code", "message", "errors"}}</c> as a
    /// <see cref="GcpApiException"/>.</summary>
    private Task<JsonObject> SendAsync(HttpMethod method, string relative, JsonObject? body, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            using var request = new HttpRequestMessage(method, new Uri(_computeBase, relative));
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                request.Content.Headers.ContentType = JsonType;
            }

            using var response = await _compute.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new GcpApiException(status, $"{method} {relative}: HTTP {status}: {ErrorMessage(text) ?? response.ReasonPhrase}", TargetFailedException.IsTransientStatus(status));
            }

            try
            {
                return JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject
                    ?? throw new GcpApiException((int)response.StatusCode, $"{method} {relative}: the answer is not a JSON object", false);
            }
            catch (JsonException)
            {
                throw new GcpApiException((int)response.StatusCode, $"{method} {relative}: the answer is not JSON", false);
            }
        }, cancellationToken);

    private static string? ErrorMessage(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["error"] switch
            {
                JsonObject error => error["message"]?.ToString(),
                JsonValue error => error.ToString(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return text.Length is > 0 and <= 200 ? text : null;
        }
    }

    private static GcpOperation Operation(JsonObject operation)
    {
        var errors = (operation["error"]?["errors"] as JsonArray)?
            .Select(e => e?["message"]?.ToString() ?? e?["code"]?.ToString())
            .Where(m => !string.IsNullOrEmpty(m))
            .ToList();
        var error = errors is { Count: > 0 } ? string.Join("; ", errors) : operation["error"] is null ? null : "the operation failed";
        return new GcpOperation(
            operation["name"]?.ToString() ?? throw new GcpApiException(null, "the operation has no name", false),
            string.Equals(operation["status"]?.ToString(), "DONE", StringComparison.Ordinal),
            error);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Runs a call, turning the libraries' failures into <see cref="GcpApiException"/>. Cancellation by
    /// <paramref name="cancellationToken"/> stays a cancellation; the HTTP client's own timeout is transient.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (GcpApiException)
        {
            throw;
        }
        catch (GoogleApiException e)
        {
            var status = (int)e.HttpStatusCode;
            var reason = e.Error?.Message is { Length: > 0 } message ? message : e.Message;
            throw new GcpApiException(status == 0 ? null : status, $"HTTP {status}: {reason}", status == 0 || TargetFailedException.IsTransientStatus(status), e);
        }
        catch (TokenResponseException e)
        {
            // error and error_description of the token endpoint's answer: words about the grant, not the assertion.
            var status = (int?)e.StatusCode;
            var description = e.Error?.ErrorDescription is { Length: > 0 } d ? $" ({d})" : "";
            throw new GcpApiException(status, $"getting an access token failed: {e.Error?.Error}{description}",
                status is null || TargetFailedException.IsTransientStatus(status.Value), e);
        }
        catch (HttpRequestException e)
        {
            throw new GcpApiException(e.StatusCode is { } s ? (int)s : null, $"the request failed: {e.Message}", true, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GcpApiException((int)HttpStatusCode.RequestTimeout, "the request timed out", true, e);
        }
        catch (IOException e)
        {
            throw new GcpApiException(null, $"the request failed: {e.Message}", true, e);
        }
    }

    private static async Task Call(Func<Task> call, CancellationToken cancellationToken) =>
        await Call(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
}
