using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Web.Api;

namespace KojiComposer.Scheduler.Koji.Intake;

public sealed partial record OsbuildImagePlan
{
    // The error object is quoted in the task's fault text, which people read: no \u0027 for quotes.
    private static readonly JsonSerializerOptions CompactErrorJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Step 9's validation: the compose to submit, through the same checks as the API's <c>POST /compose</c>.
    /// </summary>
    /// <exception cref="KojiTaskFailure">1000 <c>Failed to create the compose request: &lt;error JSON&gt;</c> with a
    /// Cloud-API style error object.</exception>
    public NewCompose ToNewCompose(string? submittedBy)
    {
        // The API's parser, so that a Koji task and a POST /compose are refused alike (composer-api.md §5).
        if (!ComposeRequestParser.TryParse(ComposeRequest.DeepClone(), submittedBy, out var compose, out var error))
        {
            var body = ComposerErrors.Body(error.Id, JsonValue.Create(error.Details));
            throw new KojiTaskFailure(KojiTaskFailure.GenericError, "Failed to create the compose request: " + body.ToJsonString(CompactErrorJson));
        }

        // The parser took KojiTaskId from koji.task_id, the task's id.
        return compose! with { ReleaseGenerated = ReleaseGenerated };
    }
}
