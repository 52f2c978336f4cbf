using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Azure;
using KojiComposer.Config;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;
using KojiComposer.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Azure;

/// <summary>
/// What the azure tests share: a fixed VHD with data and zero pages, a credentials file, the target's options with
/// azurite as blob endpoint, and an HTTP handler in front of every SDK client that counts Put Page requests, can
/// fail them (a dropped connection) and trusts the fake cloud's private CA.
/// </summary>
internal sealed class AzureTestRig : IDisposable
{
    public const string ClientSecret = "s3cr3t-client-secret-value";
    public const int Mib = 1 << 20;

    public AzureTestRig(X509Certificate2? ca = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kc-azure-").FullName;
        CredentialsPath = Path.Combine(Directory, "azure-credentials.toml");
        File.WriteAllText(CredentialsPath, $"client_id = \"client-1\"\nclient_secret = \"{ClientSecret}\"\n");
        Pages = new PageCounter(ca);
    }

    public string Directory { get; }

    public string CredentialsPath { get; }

    public PageCounter Pages { get; }

    public CapturedLogs Logs { get; } = new();

    public List<ImageProgress> Progress { get; } = [];

    /// <summary>A unique image name.</summary>
    public string ImageName { get; } = $"kc-test-{Guid.NewGuid():N}";

    /// <summary>Pages 0 and 2 and the last (1 MiB + footer) hold data, 1 and 3 are zeros: 3 data pages of 5.
    /// <paramref name="compressible"/>: the data repeats a 4 KiB block (xz makes little of it, quickly).</summary>
    public string WriteVhd(string name = "disk.vhd", int seed = 7, bool compressible = false)
    {
        var bytes = new byte[(4 * 4 * Mib) + Mib + 512];
        var random = new Random(seed);
        foreach (var (start, length) in new[] { (0, 4 * Mib), (8 * Mib, 4 * Mib), (16 * Mib, Mib) })
        {
            random.NextBytes(bytes.AsSpan(start, compressible ? 4096 : length));
            for (var at = start + 4096; compressible && at < start + length; at += 4096)
            {
                bytes.AsSpan(start, 4096).CopyTo(bytes.AsSpan(at));
            }
        }

        WriteFooter(bytes.AsSpan(bytes.Length - 512), diskType: 2);
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A VHD footer: cookie "conectix", disk type (2 fixed, 3 dynamic) at 60.</summary>
    public static void WriteFooter(Span<byte> footer, uint diskType)
    {
        "conectix"u8.CopyTo(footer);
        BinaryPrimitives.WriteUInt32BigEndian(footer[60..], diskType);
        footer[100] = 1;
    }

    public TargetsOptions Options(Uri? arm = null, Uri? authority = null, int threads = 2) => new()
    {
        Azure = new AzureTargetOptions
        {
            Credentials = CredentialsPath,
            UploadThreads = threads,
            BlobEndpoint = $"{TestStack.AzuriteEndpoint.AbsoluteUri.TrimEnd('/')}/{{account}}",
            ResourceManagerEndpoint = arm ?? new Uri("https://management.azure.com"),
            AuthorityHost = authority ?? new Uri("https://login.microsoftonline.com"),
        },
    };

    /// <summary>Every client through <see cref="Pages"/>, no SDK retries (a fault reaches the target at once).</summary>
    public AzureSdkHooks Hooks(Func<AzureUploadOptions, TokenCredential, IAzureManagement>? management = null) => new()
    {
        Transport = new HttpClientTransport(new HttpClient(Pages)),
        MaxRetries = 0,
        Management = management,
        StorageAccountName = () => TestStack.AzuriteAccount,
    };

    public AzureImageTarget Target(TargetsOptions options, AzureSdkHooks hooks) =>
        new(options, new TestLogger<AzureImageTarget>(Logs.CreateLogger(typeof(AzureImageTarget).FullName!)), hooks);

    public TargetUpload Upload(string artifact, string? location = "westeurope", string? imageName = null) => new()
    {
        ComposeId = Guid.NewGuid(),
        Image = "compose test image 0 (rhel-9.6 x86_64 azure)",
        Distribution = "rhel-9.6",
        Arch = "x86_64",
        ImageType = "azure",
        ArtifactPath = artifact,
        ExportFilename = Path.GetFileName(artifact),
        Options = new AzureUploadOptions("tenant-1", "0d2c5a1e-7b7e-4c59-9a55-3f1c0e8b6a01", "rg", location, imageName ?? ImageName, "V1"),
        GeneratedName = "composer-api-" + Guid.NewGuid().ToString("D"),
        Progress = new ListProgress(Progress),
        WorkDirectory = Directory,
    };

    /// <summary>The blob as azurite has it.</summary>
    public static PageBlobClient Blob(string imageName) =>
        new BlobServiceClient(
                new Uri($"{TestStack.AzuriteEndpoint.AbsoluteUri.TrimEnd('/')}/{TestStack.AzuriteAccount}"),
                new StorageSharedKeyCredential(TestStack.AzuriteAccount, TestStack.AzuriteAccountKey))
            .GetBlobContainerClient(AzureImageTarget.ContainerName)
            .GetPageBlobClient(imageName + ".vhd");

    public static byte[] Md5(string path) => MD5.HashData(File.ReadAllBytes(path));

    public void Dispose()
    {
        Pages.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ListProgress(List<ImageProgress> list) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value)
        {
            lock (list)
            {
                list.Add(value);
            }
        }
    }
}

/// <summary>Counts successful Put Page requests; <see cref="FailAfter"/> makes later ones fail like a dropped
/// connection; <see cref="OnPage"/> runs after each. Trusts <c>ca</c> for https (the fake cloud).</summary>
internal sealed class PageCounter : DelegatingHandler
{
    private int _sent;
    private int _started;

    public PageCounter(X509Certificate2? ca)
        : base(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(ca, certificate, errors),
            },
        })
    {
    }

    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Each Put Page's <c>x-ms-range</c> and <c>Content-MD5</c> (base64; empty when it had none).</summary>
    public ConcurrentBag<(string Range, string Md5)> PageHeaders { get; } = [];

    /// <summary>Once this many Put Page requests were started, every further one fails (null: none does).</summary>
    public int? FailAfter { get; set; }

    public Action? OnPage { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var page = request.Method == HttpMethod.Put && request.RequestUri!.Query.Contains("comp=page", StringComparison.Ordinal);
        if (page && FailAfter is { } limit && Interlocked.Increment(ref _started) > limit)
        {
            throw new HttpRequestException("injected fault: the connection was reset");
        }

        if (page)
        {
            var range = request.Headers.TryGetValues("x-ms-range", out var values) ? string.Join(",", values) : "";
            var md5 = request.Content?.Headers.ContentMD5 is { } hash ? Convert.ToBase64String(hash) : "";
            PageHeaders.Add((range, md5));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (page && response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _sent);
            OnPage?.Invoke();
        }

        return response;
    }

    private static bool Trusted(X509Certificate2? ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (ca is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}

/// <summary>A management fake in memory: records calls, answers azurite's key.</summary>
internal sealed class FakeManagement : IAzureManagement
{
    public List<string> Calls { get; } = [];

    public string ResourceGroupLocation { get; set; } = "northeurope";

    public List<AzureStorageAccount> Accounts { get; } = [];

    public List<AzureImageRequest> Images { get; } = [];

    public Exception? ImageError { get; set; }

    public Task<string> GetResourceGroupLocationAsync(string resourceGroup, CancellationToken cancellationToken)
    {
        Calls.Add($"location {resourceGroup}");
        return Task.FromResult(ResourceGroupLocation);
    }

    public Task<IReadOnlyList<AzureStorageAccount>> ListStorageAccountsAsync(string resourceGroup, CancellationToken cancellationToken)
    {
        Calls.Add($"list {resourceGroup}");
        return Task.FromResult<IReadOnlyList<AzureStorageAccount>>([.. Accounts]);
    }

    public Task CreateStorageAccountAsync(string resourceGroup, AzureStorageAccount account, CancellationToken cancellationToken)
    {
        Calls.Add($"create {account.Name} {account.Location} {string.Join(",", account.Tags.Select(t => $"{t.Key}={t.Value}"))}");
        Accounts.Add(account);
        return Task.CompletedTask;
    }

    public Task<string> GetStorageAccountKeyAsync(string resourceGroup, string accountName, CancellationToken cancellationToken)
    {
        Calls.Add($"keys {accountName}");
        return Task.FromResult(TestStack.AzuriteAccountKey);
    }

    public Task CreateImageAsync(string resourceGroup, AzureImageRequest image, CancellationToken cancellationToken)
    {
        Calls.Add($"image {image.Name}");
        Images.Add(image);
        if (CancelDuringImage is { } cancel)
        {
            cancel.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        return ImageError is { } e ? Task.FromException(e) : Task.CompletedTask;
    }

    /// <summary>The images DeleteImageAsync was asked to delete, with the upload token it was given.</summary>
    public List<(string Name, string UploadToken)> DeletedImages { get; } = [];

    /// <summary>When set, CreateImageAsync cancels this source (the upload's token) and throws as a canceled call does.</summary>
    public CancellationTokenSource? CancelDuringImage { get; set; }

    public Task<bool> DeleteImageAsync(string resourceGroup, string name, string uploadToken, CancellationToken cancellationToken)
    {
        Calls.Add($"delete image {name}");
        var found = Images.RemoveAll(i => i.Name == name && i.UploadToken == uploadToken) > 0;
        if (found)
        {
            DeletedImages.Add((name, uploadToken));
        }

        return Task.FromResult(found);
    }

    /// <summary>An account tagged for <paramref name="location"/>, named as azurite's.</summary>
    public static AzureStorageAccount Tagged(string location) =>
        new(TestStack.AzuriteAccount, location, new Dictionary<string, string> { [AzureImageTarget.StorageAccountTag] = $"location={location}" });

    public static RequestFailedException ArmError(int status, string code, string message) => new(status, message, code, null);
}

internal sealed class TestLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
