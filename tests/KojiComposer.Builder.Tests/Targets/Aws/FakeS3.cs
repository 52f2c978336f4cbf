using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>
/// The multipart calls s3rver lacks (ListMultipartUploads, ListParts, AbortMultipartUpload) in a small path-style S3
/// fake: one bucket, XML answers as S3 gives them, MD5 ETags, scripted part failures. For the resume and abort paths;
/// everything else is tested against the real s3rver.
/// </summary>
internal sealed class FakeS3 : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private readonly ConcurrentDictionary<int, byte[]> _parts = new();
    private readonly ConcurrentDictionary<int, ConcurrentQueue<(int Status, string Code)>> _failures = new();
    private string? _uploadId;

    public FakeS3()
    {
        _server = new FakeHttpServer(HandleAsync);
    }

    public Uri Url => _server.Url;

    public RequestLog Requests { get; } = new();

    /// <summary>The completed object, or null.</summary>
    public byte[]? Object { get; private set; }

    /// <summary>Part numbers in the order their PUTs arrived.</summary>
    public ConcurrentQueue<int> PartPuts { get; } = new();

    /// <summary>Parts stored now (what ListParts answers).</summary>
    public IReadOnlyCollection<int> StoredParts => [.. _parts.Keys];

    public void FailPart(int number, int status, string code, int times)
    {
        var queue = _failures.GetOrAdd(number, _ => new());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue((status, code));
        }
    }

    public int Count(string what) => Requests.All.Count(r => r.Parameters.GetValueOrDefault("op") == what);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var method = context.Request.Method;
        var segments = context.Request.Path.Value!.Trim('/').Split('/', 2);
        var hasKey = segments.Length == 2;
        var op = (method, hasKey, query.ContainsKey("uploads"), query.ContainsKey("uploadId")) switch
        {
            ("POST", true, true, _) => "Initiate",
            ("GET", false, true, _) => "ListUploads",
            ("GET", true, _, true) => "ListParts",
            ("PUT", true, _, true) => "UploadPart",
            ("POST", true, _, true) => "Complete",
            ("DELETE", true, _, true) => "Abort",
            ("PUT", true, false, false) when query.ContainsKey("acl") => "PutAcl",
            _ => "Other",
        };
        Requests.Add(new FakeRequest(method, context.Request.Path, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["op"] = op,
            ["x-amz-acl"] = context.Request.Headers["x-amz-acl"].ToString(),
        }));
        var key = hasKey ? segments[1] : "";
        switch (op)
        {
            case "Initiate":
                _uploadId = "upload-" + Guid.NewGuid().ToString("N");
                _parts.Clear();
                await XmlAsync(context, $"<InitiateMultipartUploadResult><Bucket>{segments[0]}</Bucket><Key>{key}</Key><UploadId>{_uploadId}</UploadId></InitiateMultipartUploadResult>");
                return;
            case "ListUploads":
                var upload = _uploadId is null ? "" : $"<Upload><Key>{query["prefix"]}</Key><UploadId>{_uploadId}</UploadId><Initiated>2026-12-02T12:00:00.000Z</Initiated></Upload>";
                await XmlAsync(context, $"<ListMultipartUploadsResult><Bucket>{segments[0]}</Bucket><IsTruncated>false</IsTruncated>{upload}</ListMultipartUploadsResult>");
                return;
            case "ListParts":
                var parts = string.Concat(_parts.OrderBy(p => p.Key).Select(p =>
                    $"<Part><PartNumber>{p.Key}</PartNumber><ETag>\"{Md5(p.Value)}\"</ETag><Size>{p.Value.Length}</Size><LastModified>2026-12-02T12:00:00.000Z</LastModified></Part>"));
                await XmlAsync(context, $"<ListPartsResult><Bucket>{segments[0]}</Bucket><Key>{key}</Key><UploadId>{_uploadId}</UploadId><IsTruncated>false</IsTruncated>{parts}</ListPartsResult>");
                return;
            case "UploadPart":
                var number = int.Parse(query["partNumber"]!, System.Globalization.CultureInfo.InvariantCulture);
                PartPuts.Enqueue(number);
                using (var body = new MemoryStream())
                {
                    await context.Request.Body.CopyToAsync(body);
                    if (_failures.TryGetValue(number, out var failures) && failures.TryDequeue(out var failure))
                    {
                        context.Response.StatusCode = failure.Status;
                        await XmlAsync(context, $"<Error><Code>{failure.Code}</Code><Message>scripted failure of part {number}</Message></Error>");
                        return;
                    }

                    _parts[number] = body.ToArray();
                    context.Response.Headers.ETag = $"\"{Md5(_parts[number])}\"";
                }

                return;
            case "Complete":
                using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
                {
                    _ = await reader.ReadToEndAsync();
                }

                Object = [.. _parts.OrderBy(p => p.Key).SelectMany(p => p.Value)];
                _uploadId = null;
                await XmlAsync(context, $"<CompleteMultipartUploadResult><Location>{Url}{segments[0]}/{key}</Location><Bucket>{segments[0]}</Bucket><Key>{key}</Key><ETag>\"x-1\"</ETag></CompleteMultipartUploadResult>");
                return;
            case "PutAcl":
                return;
            case "Abort":
                _uploadId = null;
                _parts.Clear();
                context.Response.StatusCode = 204;
                return;
            default:
                context.Response.StatusCode = 501;
                await XmlAsync(context, "<Error><Code>NotImplemented</Code><Message>not in this fake</Message></Error>");
                return;
        }
    }

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    private static async Task XmlAsync(HttpContext context, string xml)
    {
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml);
    }
}
