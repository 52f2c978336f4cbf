using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Gcp;

/// <summary>
/// Google's side of the GCP target on a Kestrel listener (127.0.0.1, port 0), speaking the wire formats the real
/// clients use: the OAuth token endpoint of a service account key (JWT bearer grant; the assertion's RS256
/// signature is checked against the key's public half), the Cloud Storage JSON API (resumable upload sessions with
/// Content-Range chunks and 308 answers, object get and delete), and Compute Engine v1 (images get/insert/delete,
/// global operations, image getIamPolicy/setIamPolicy with etags). Every call but the token's needs the bearer
/// token it issued. Requests are recorded; <see cref="Intercept"/> answers instead of the fake (failure injection).
/// An import finishes after <see cref="PollsUntilDone"/> looks at its operation or image and fails when its source
/// object is gone by then, as GCP's would.
/// </summary>
internal sealed class GcpFake : IAsyncDisposable
{
    public const string Project = "kc-test-project";
    public const string ClientEmail = "builder@kc-test-project.iam.gserviceaccount.com";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly object _lock = new();
    private readonly List<FakeRequest> _requests = [];
    private int _counter;

    private GcpFake(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The key whose public half checks token requests.</summary>
    public RSA Key { get; } = RSA.Create(2048);

    public Uri Root { get; private set; } = null!;

    public Uri TokenUri => new(Root, "token");

    public Uri StorageEndpoint => new(Root, "storage/v1/");

    public Uri ComputeEndpoint => new(Root, "compute/v1/");

    /// <summary>The access tokens handed out.</summary>
    public ConcurrentBag<string> IssuedTokens { get; } = [];

    /// <summary>The self-signed JWTs of the key that authorized calls.</summary>
    public ConcurrentBag<string> SelfSignedJwts { get; } = [];

    /// <summary>Buckets that exist.</summary>
    public ConcurrentDictionary<string, bool> Buckets { get; } = new();

    /// <summary>Objects now in the buckets, by <c>bucket/name</c>.</summary>
    public ConcurrentDictionary<string, StoredObject> Objects { get; } = new();

    /// <summary>Every object ever finished uploading (also those deleted since).</summary>
    public ConcurrentQueue<StoredObject> Uploaded { get; } = new();

    /// <summary>Images by <c>project/name</c>.</summary>
    public ConcurrentDictionary<string, FakeImage> Images { get; } = new();

    /// <summary>How many looks at an import's operation (or image) until it is DONE.</summary>
    public int PollsUntilDone { get; set; } = 2;

    /// <summary>When set, every import ends with this error (GCP's operation error message).</summary>
    public string? ImportError { get; set; }

    /// <summary>Gets each request before the fake; a non-null answer is sent instead.</summary>
    public Func<FakeRequest, FakeAnswer?>? Intercept { get; set; }

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The requests as <c>METHOD path</c> with ids replaced by their kind, for sequence assertions.</summary>
    public IReadOnlyList<string> Sequence => [.. Requests.Select(r => r.Action)];

    public static async Task<GcpFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var fake = new GcpFake(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Root = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return fake;
    }

    /// <summary>A service account key file for this fake (token_uri pointing here), in <paramref name="directory"/>.</summary>
    public string WriteKeyFile(string directory, string? projectId = Project)
    {
        var key = new JsonObject
        {
            ["type"] = "service_account",
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = PrivateKeyPem,
            ["client_email"] = ClientEmail,
            ["client_id"] = "100000000000000000001",
            ["token_uri"] = TokenUri.AbsoluteUri,
        };
        if (projectId is not null)
        {
            key["project_id"] = projectId;
        }

        var path = Path.Combine(directory, "gcp-key.json");
        File.WriteAllText(path, key.ToJsonString());
        return path;
    }

    public string PrivateKeyPem => Key.ExportPkcs8PrivateKeyPem();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = new MemoryStream();
        if (http.Request.Headers.ContentEncoding.ToString() == "gzip")
        {
            await using var gzip = new System.IO.Compression.GZipStream(http.Request.Body, System.IO.Compression.CompressionMode.Decompress);
            await gzip.CopyToAsync(body);
        }
        else
        {
            await http.Request.Body.CopyToAsync(body);
        }

        var request = new FakeRequest(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "",
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
        lock (_lock)
        {
            _requests.Add(request);
        }

        var answer = Intercept?.Invoke(request) ?? Handle(request);
        http.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            http.Response.ContentType = answer.ContentType;
            await http.Response.WriteAsync(answer.Body);
        }
    }

    private FakeAnswer Handle(FakeRequest request)
    {
        var segments = request.Path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (request.Path == "/token")
        {
            return Token(request);
        }

        // A resumable upload's session URI is its own authorization (Cloud Storage needs no token on its PUTs).
        var sessionPut = request.Method == "PUT" && request.Path.StartsWith("/upload/storage/", StringComparison.Ordinal);
        if (!sessionPut && !(request.Headers.TryGetValue("Authorization", out var authorization) && IsAuthorized(authorization)))
        {
            return FakeAnswer.Error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "authError");
        }

        return segments switch
        {
            ["upload", "storage", "v1", "b", var bucket, "o"] when request.Method == "POST" => StartUpload(request, bucket),
            ["upload", "storage", "v1", "b", _, "o"] when request.Method == "PUT" => UploadChunk(request),
            ["storage", "v1", "b", var bucket, "o", var name] when request.Method == "GET" =>
                Objects.TryGetValue($"{bucket}/{name}", out var o) ? FakeAnswer.Json(o.Resource()) : FakeAnswer.Error(404, "No such object: " + $"{bucket}/{name}", "notFound"),
            ["storage", "v1", "b", var bucket, "o", var name] when request.Method == "DELETE" =>
                Objects.TryRemove($"{bucket}/{name}", out _) ? new FakeAnswer(204) : FakeAnswer.Error(404, "No such object: " + $"{bucket}/{name}", "notFound"),
            ["compute", "v1", "projects", var project, "global", "images"] when request.Method == "POST" => InsertImage(project, request),
            ["compute", "v1", "projects", var project, "global", "images", var name] when request.Method == "GET" => GetImage(project, name),
            ["compute", "v1", "projects", var project, "global", "images", var name] when request.Method == "DELETE" => DeleteImage(project, name),
            ["compute", "v1", "projects", var project, "global", "images", var name, "getIamPolicy"] when request.Method == "GET" => GetPolicy(project, name),
            ["compute", "v1", "projects", var project, "global", "images", var name, "setIamPolicy"] when request.Method == "POST" => SetPolicy(project, name, request),
            ["compute", "v1", "projects", var project, "global", "operations", var name] when request.Method == "GET" => GetOperation(project, name),
            _ => FakeAnswer.Error(404, $"no such API in the fake: {request.Method} {request.Path}", "notFound"),
        };
    }

    /// <summary>An access token of <see cref="Token"/>, or a self-signed JWT of the key (what Google.Cloud.Storage.V1
    /// sends: its builder turns on "JWT access with scopes", which Google's APIs accept without a token exchange).</summary>
    private bool IsAuthorized(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var bearer = authorization[7..];
        if (IssuedTokens.Contains(bearer))
        {
            return true;
        }

        var claims = VerifiedClaims(bearer);
        if (claims is null || claims["iss"]?.ToString() != ClientEmail)
        {
            return false;
        }

        SelfSignedJwts.Add(bearer);
        return true;
    }

    /// <summary>The claims of an RS256 JWT signed by <see cref="Key"/> with the compute and devstorage scopes, else null.</summary>
    private JsonNode? VerifiedClaims(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3
            || !Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            || JsonNode.Parse(Base64Url(parts[0]))?["alg"]?.ToString() != "RS256")
        {
            return null;
        }

        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        var scopes = claims["scope"]?.ToString().Split(' ') ?? [];
        return scopes.Contains("https://www.googleapis.com/auth/compute") && scopes.Contains("https://www.googleapis.com/auth/devstorage.read_write")
            ? claims
            : null;
    }

    // Google.Apis.Auth puts Google's token URL in "aud" whatever the key's token_uri says (what Google checks).
    private string?[] Audiences => ["https://oauth2.googleapis.com/token", TokenUri.AbsoluteUri];

    private FakeAnswer Token(FakeRequest request)
    {
        var form = System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(request.Body));
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || form["assertion"] is not { } assertion)
        {
            return FakeAnswer.TokenError("unsupported_grant_type", "Invalid grant_type");
        }

        var claims = VerifiedClaims(assertion);
        if (claims is null)
        {
            return FakeAnswer.TokenError("invalid_grant", "Invalid JWT Signature.");
        }

        if (claims["iss"]?.ToString() != ClientEmail || !Audiences.Contains(claims["aud"]?.ToString()))
        {
            return FakeAnswer.TokenError("invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
        }

        var token = "ya29.fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        IssuedTokens.Add(token);
        return FakeAnswer.Json(new JsonObject { ["access_token"] = token, ["expires_in"] = 3599, ["token_type"] = "Bearer" });
    }

    private FakeAnswer StartUpload(FakeRequest request, string bucket)
    {
        if (!request.Query.Contains("uploadType=resumable", StringComparison.Ordinal))
        {
            return FakeAnswer.Error(400, "only resumable uploads in the fake", "invalid");
        }

        if (!Buckets.ContainsKey(bucket))
        {
            return FakeAnswer.Error(404, "The specified bucket does not exist.", "notFound");
        }

        var metadata = JsonNode.Parse(request.Body)!.AsObject();
        var name = metadata["name"]?.ToString() ?? System.Web.HttpUtility.ParseQueryString(request.Query)["name"];
        if (string.IsNullOrEmpty(name))
        {
            return FakeAnswer.Error(400, "Required: object name", "required");
        }

        var id = "upload-" + Interlocked.Increment(ref _counter);
        _sessions[id] = new Session(bucket, name, metadata);
        var location = new Uri(Root, $"upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&upload_id={id}").AbsoluteUri;
        return new FakeAnswer(200) { Headers = new Dictionary<string, string> { ["Location"] = location } };
    }

    private FakeAnswer UploadChunk(FakeRequest request)
    {
        var id = System.Web.HttpUtility.ParseQueryString(request.Query)["upload_id"];
        if (id is null || !_sessions.TryGetValue(id, out var session))
        {
            return FakeAnswer.Error(404, "No such upload session", "notFound");
        }

        // Content-Range: bytes FIRST-LAST/TOTAL, bytes FIRST-LAST/*, or bytes */TOTAL (a status query).
        var range = request.Headers.GetValueOrDefault("Content-Range", "");
        var spec = range.StartsWith("bytes ", StringComparison.Ordinal) ? range[6..] : "";
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return FakeAnswer.Error(400, "bad Content-Range: " + range, "invalid");
        }

        long? total = spec[(slash + 1)..] is "*" ? null : long.Parse(spec[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (spec[..slash] != "*")
        {
            var first = long.Parse(spec[..spec.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            if (first != session.Data.Length)
            {
                return FakeAnswer.Error(400, $"chunk starts at {first}, the session has {session.Data.Length} bytes", "invalid");
            }

            session.Data.Write(request.Body);
        }

        if (total is null || session.Data.Length < total)
        {
            var answer = new FakeAnswer(308);
            return session.Data.Length == 0 ? answer : answer with { Headers = new Dictionary<string, string> { ["Range"] = $"bytes=0-{session.Data.Length - 1}" } };
        }

        var data = session.Data.ToArray();
        if (request.Headers.TryGetValue("X-Goog-Hash", out var hashes))
        {
            foreach (var hash in hashes.Split(',', StringSplitOptions.TrimEntries))
            {
                var (kind, value) = (hash[..hash.IndexOf('=', StringComparison.Ordinal)], hash[(hash.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var actual = kind switch
                {
                    "crc32c" => Convert.ToBase64String(Crc32C(data)),
                    "md5" => Convert.ToBase64String(MD5.HashData(data)),
                    _ => value,
                };
                if (actual != value)
                {
                    return FakeAnswer.Error(400, $"Provided {kind} hash doesn't match the object's", "invalid");
                }
            }
        }

        _sessions.TryRemove(id, out _);
        var stored = new StoredObject(session.Bucket, session.Name, data,
            (session.Metadata["metadata"] as JsonObject)?.ToDictionary(m => m.Key, m => m.Value?.ToString() ?? "") ?? [],
            session.Metadata["contentType"]?.ToString());
        Objects[$"{stored.Bucket}/{stored.Name}"] = stored;
        Uploaded.Enqueue(stored);
        return FakeAnswer.Json(stored.Resource());
    }

    private FakeAnswer InsertImage(string project, FakeRequest request)
    {
        var image = JsonNode.Parse(request.Body)!.AsObject();
        var name = image["name"]?.ToString() ?? "";
        if (image["rawDisk"]?["source"] is null)
        {
            return FakeAnswer.Error(400, "Invalid value for field 'resource.rawDisk.source': ''.", "invalid");
        }

        var added = new FakeImage(name, image) { Status = "PENDING" };
        if (!Images.TryAdd($"{project}/{name}", added))
        {
            return FakeAnswer.Error(409, $"The resource 'projects/{project}/global/images/{name}' already exists", "alreadyExists");
        }

        var operation = NewOperation("insert", project, name);
        added.Operation = operation;
        return FakeAnswer.Json(operation.Resource());
    }

    private FakeAnswer GetImage(string project, string name)
    {
        if (!Images.TryGetValue($"{project}/{name}", out var image))
        {
            return FakeAnswer.Error(404, $"The resource 'projects/{project}/global/images/{name}' was not found", "notFound");
        }

        if (image.Operation is { } operation)
        {
            Advance(project, operation);
        }

        return FakeAnswer.Json(image.Resource());
    }

    private FakeAnswer DeleteImage(string project, string name)
    {
        if (!Images.TryRemove($"{project}/{name}", out _))
        {
            return FakeAnswer.Error(404, $"The resource 'projects/{project}/global/images/{name}' was not found", "notFound");
        }

        var operation = NewOperation("delete", project, name);
        operation.Status = "DONE";
        return FakeAnswer.Json(operation.Resource());
    }

    private FakeAnswer GetOperation(string project, string name)
    {
        if (!_operations.TryGetValue(name, out var operation))
        {
            return FakeAnswer.Error(404, $"The resource 'projects/{project}/global/operations/{name}' was not found", "notFound");
        }

        Advance(project, operation);
        return FakeAnswer.Json(operation.Resource());
    }

    private FakeAnswer GetPolicy(string project, string name) =>
        Images.TryGetValue($"{project}/{name}", out var image)
            ? FakeAnswer.Json(image.Policy())
            : FakeAnswer.Error(404, $"The resource 'projects/{project}/global/images/{name}' was not found", "notFound");

    private FakeAnswer SetPolicy(string project, string name, FakeRequest request)
    {
        if (!Images.TryGetValue($"{project}/{name}", out var image))
        {
            return FakeAnswer.Error(404, $"The resource 'projects/{project}/global/images/{name}' was not found", "notFound");
        }

        var policy = JsonNode.Parse(request.Body)?["policy"] as JsonObject;
        if (policy is null)
        {
            return FakeAnswer.Error(400, "Required field 'policy' not specified", "required");
        }

        if (policy["etag"]?.ToString() is { } etag && etag != image.Etag)
        {
            return FakeAnswer.Error(409, "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.", "conflict");
        }

        var bindings = policy["bindings"] as JsonArray ?? [];
        foreach (var member in bindings.SelectMany(b => b?["members"] as JsonArray ?? []).Select(m => m?.ToString() ?? ""))
        {
            if (!member.StartsWith("user:", StringComparison.Ordinal) && !member.StartsWith("serviceAccount:", StringComparison.Ordinal)
                && !member.StartsWith("group:", StringComparison.Ordinal) && !member.StartsWith("domain:", StringComparison.Ordinal))
            {
                return FakeAnswer.Error(400, $"Invalid value for field 'resource.policy.bindings.members': '{member}'. Member is of an unknown type.", "invalid");
            }
        }

        image.Bindings = (JsonArray)bindings.DeepClone();
        image.Etag = "BwY" + Interlocked.Increment(ref _counter);
        return FakeAnswer.Json(image.Policy());
    }

    private readonly ConcurrentDictionary<string, FakeOperation> _operations = new();

    private FakeOperation NewOperation(string type, string project, string image)
    {
        var operation = new FakeOperation("operation-" + Interlocked.Increment(ref _counter) + "-" + type, type, image,
            new Uri(ComputeEndpoint, $"projects/{project}/global/images/{image}").AbsoluteUri);
        _operations[operation.Name] = operation;
        return operation;
    }

    /// <summary>One look at an import: after <see cref="PollsUntilDone"/> it is done, READY or FAILED.</summary>
    private void Advance(string project, FakeOperation operation)
    {
        lock (operation)
        {
            if (operation.Status == "DONE" || ++operation.Polls < PollsUntilDone)
            {
                return;
            }

            operation.Status = "DONE";
            if (!Images.TryGetValue($"{project}/{operation.Image}", out var image))
            {
                return;
            }

            image.Operation = null;
            var source = image.Request["rawDisk"]!["source"]!.ToString();
            var prefix = "https://storage.googleapis.com/";
            var objectKey = source.StartsWith(prefix, StringComparison.Ordinal) ? source[prefix.Length..] : source;
            var error = ImportError ?? (Objects.ContainsKey(objectKey) ? null : $"The source object '{source}' was not found or is not accessible.");
            if (error is null)
            {
                image.Status = "READY";
            }
            else
            {
                image.Status = "FAILED";
                operation.Error = error;
            }
        }
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    /// <summary>CRC-32C (Castagnoli), big-endian, as Cloud Storage reports it.</summary>
    public static byte[] Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        crc ^= 0xFFFFFFFFu;
        return [(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private sealed class Session(string bucket, string name, JsonObject metadata)
    {
        public string Bucket { get; } = bucket;

        public string Name { get; } = name;

        public JsonObject Metadata { get; } = metadata;

        public MemoryStream Data { get; } = new();
    }
}
