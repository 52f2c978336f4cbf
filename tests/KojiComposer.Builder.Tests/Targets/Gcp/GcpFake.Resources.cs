using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Tests.Targets.Gcp;

// What GcpFake records and answers: requests, answers, objects, images, operations in Google's JSON shapes.

internal sealed record FakeRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    /// <summary><c>METHOD path</c> with the upload session and operation ids left out.</summary>
    public string Action => Method + " " + (Path.Contains("/operations/", StringComparison.Ordinal) ? Path[..(Path.IndexOf("/operations/", StringComparison.Ordinal) + 12)] + "*" : Path);
}

internal sealed record FakeAnswer(int Status, string? Body = null, string ContentType = "application/json; charset=UTF-8")
{
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static FakeAnswer Json(JsonNode body) => new(200, body.ToJsonString());

    /// <summary>Google's JSON error shape (Compute and Storage alike).</summary>
    public static FakeAnswer Error(int status, string message, string reason) => new(status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["domain"] = "global", ["reason"] = reason, ["message"] = message }),
        },
    }.ToJsonString());

    public static FakeAnswer TokenError(string error, string description) =>
        new(400, new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString());
}

internal sealed record StoredObject(string Bucket, string Name, byte[] Data, IReadOnlyDictionary<string, string> Metadata, string? ContentType)
{
    public JsonObject Resource() => new()
    {
        ["kind"] = "storage#object",
        ["id"] = $"{Bucket}/{Name}/1",
        ["name"] = Name,
        ["bucket"] = Bucket,
        ["generation"] = "1",
        ["metageneration"] = "1",
        ["contentType"] = ContentType,
        ["size"] = Data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["md5Hash"] = Convert.ToBase64String(MD5.HashData(Data)),
        ["crc32c"] = Convert.ToBase64String(GcpFake.Crc32C(Data)),
        ["metadata"] = new JsonObject([.. Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]),
    };
}

internal sealed class FakeImage(string name, JsonObject request)
{
    public string Name { get; } = name;

    /// <summary>The images.insert body.</summary>
    public JsonObject Request { get; } = request;

    public string Status { get; set; } = "READY";

    public FakeOperation? Operation { get; set; }

    public JsonArray Bindings { get; set; } = [];

    public string Etag { get; set; } = "ACAB";

    public JsonObject Resource()
    {
        var resource = (JsonObject)Request.DeepClone();
        resource["kind"] = "compute#image";
        resource["status"] = Status;
        resource["sourceType"] = "RAW";
        return resource;
    }

    public JsonObject Policy()
    {
        var policy = new JsonObject { ["version"] = 1, ["etag"] = Etag };
        if (Bindings.Count > 0)
        {
            policy["bindings"] = Bindings.DeepClone();
        }

        return policy;
    }
}

internal sealed class FakeOperation(string name, string type, string image, string targetLink)
{
    public string Name { get; } = name;

    public string Image { get; } = image;

    public string Status { get; set; } = "RUNNING";

    public string? Error { get; set; }

    public int Polls { get; set; }

    public JsonObject Resource()
    {
        var resource = new JsonObject
        {
            ["kind"] = "compute#operation",
            ["name"] = Name,
            ["operationType"] = type,
            ["status"] = Status,
            ["targetLink"] = targetLink,
            ["progress"] = Status == "DONE" ? 100 : 50,
        };
        if (Error is not null)
        {
            resource["error"] = new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = "IMAGE_IMPORT_ERROR", ["message"] = Error }) };
            resource["httpErrorStatusCode"] = 400;
            resource["httpErrorMessage"] = "BAD REQUEST";
        }

        return resource;
    }
}
