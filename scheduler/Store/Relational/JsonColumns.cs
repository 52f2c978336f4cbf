using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>JSON text of a column (PostgreSQL <c>jsonb</c>, SQLite <c>text</c>); null is SQL NULL.</summary>
/// <param name="Text">The JSON text, or null.</param>
internal readonly record struct JsonText(string? Text);

/// <summary>How the JSON columns are written and read back.</summary>
internal static class JsonColumns
{
    public static JsonText Of(JsonObject? value) => new(value?.ToJsonString());

    public static JsonText Of(JsonArray? value) => new(value?.ToJsonString());

    public static JsonText Of(JobError? error) => new(error?.ToJson().ToJsonString());

    public static JsonText Of(ImageProgress? progress)
    {
        if (progress is null)
        {
            return new JsonText(null);
        }

        var json = new JsonObject
        {
            ["done"] = progress.Done,
            ["total"] = progress.Total,
            ["stage"] = progress.Stage,
            ["sub_done"] = progress.SubDone,
            ["sub_total"] = progress.SubTotal,
        };
        return new JsonText(json.ToJsonString());
    }

    public static JsonText Of(IReadOnlyList<UploadResult> uploads)
    {
        var array = new JsonArray();
        foreach (var upload in uploads)
        {
            array.Add(new JsonObject
            {
                ["type"] = upload.Type,
                ["success"] = upload.Success,
                ["options"] = upload.Options.DeepClone(),
            });
        }

        return new JsonText(array.ToJsonString());
    }

    public static JsonObject? ReadObject(string? text) => text is null ? null : JsonNode.Parse(text)!.AsObject();

    public static JsonArray? ReadArray(string? text) => text is null ? null : JsonNode.Parse(text)!.AsArray();

    public static JobError? ReadError(string? text) => text is null ? null : JobError.FromJson(JsonNode.Parse(text)!.AsObject());

    public static ImageProgress? ReadProgress(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var json = JsonNode.Parse(text)!.AsObject();
        return new ImageProgress(
            json["done"]!.GetValue<int>(),
            json["total"]!.GetValue<int>(),
            json["stage"]?.GetValue<string>(),
            json["sub_done"]?.GetValue<int>(),
            json["sub_total"]?.GetValue<int>());
    }

    public static IReadOnlyList<UploadResult> ReadUploads(string? text)
    {
        if (text is null)
        {
            return [];
        }

        var uploads = new List<UploadResult>();
        foreach (var item in JsonNode.Parse(text)!.AsArray())
        {
            var json = item!.AsObject();
            uploads.Add(new UploadResult(json["type"]!.GetValue<string>(), json["success"]!.GetValue<bool>(), json["options"]!.DeepClone().AsObject()));
        }

        return uploads;
    }
}
