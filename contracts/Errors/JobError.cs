using System.Text.Json.Nodes;

namespace KojiComposer.Contracts.Errors;

/// <summary>
/// Why a compose step failed, as users see it in compose statuses: a numbered code from
/// <see cref="JobErrorCodes"/> (osbuild-composer's client error table, osbuild-run.md §10), a one-line reason and
/// optional details. Only these three fields exist: the stock koji-osbuild plugin crashes on any other key inside
/// <c>error</c> (composer-api.md §4).
/// </summary>
/// <param name="Id">Stable numeric code.</param>
/// <param name="Reason">One line saying what failed, e.g. <c>osbuild build failed</c>.</param>
/// <param name="Details">Anything that helps (failed stage output, the dependency errors, a hub fault text), or
/// null. Never a secret.</param>
public sealed record JobError(int Id, string Reason, JsonNode? Details = null)
{
    /// <summary>The error of a step that a cancel ended (<see cref="JobErrorCodes.Canceled"/>).</summary>
    public static JobError Canceled() => new(JobErrorCodes.Canceled, "compose canceled");

    /// <summary>The error as the compose status shows it, <c>{"id", "reason", "details"?}</c>.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id, ["reason"] = Reason };
        if (Details is not null)
        {
            json["details"] = Details.DeepClone();
        }

        return json;
    }

    /// <summary>Reads <see cref="ToJson"/>'s shape back.</summary>
    /// <exception cref="FormatException">The object has no integer <c>id</c> or string <c>reason</c>.</exception>
    public static JobError FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json["id"] is not JsonValue id || !id.TryGetValue<int>(out var code))
        {
            throw new FormatException("job error has no integer \"id\"");
        }

        if (json["reason"] is not JsonValue reason || !reason.TryGetValue<string>(out var text))
        {
            throw new FormatException("job error has no string \"reason\"");
        }

        return new JobError(code, text, json["details"]?.DeepClone());
    }

    /// <inheritdoc />
    public override string ToString() => $"error {Id}: {Reason}";
}
