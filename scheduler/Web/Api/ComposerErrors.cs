using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>One entry of the API's error catalogue.</summary>
/// <param name="Id">Error id (composer's where the meaning is the same, composer-api.md §5).</param>
/// <param name="HttpStatus">Status code of the response.</param>
/// <param name="Reason">Fixed reason text.</param>
internal sealed record ComposerError(int Id, int HttpStatus, string Reason);

/// <summary>
/// osbuild-composer's error responses (composer-api.md §5): <c>{"href", "id", "kind": "Error", "code":
/// "IMAGE-BUILDER-COMPOSER-&lt;id&gt;", "reason", "operation_id", "details"?}</c>. The ids, statuses and reasons
/// are composer's so that its clients read ours the same way; ids 2001 and up are our extensions' own.
/// </summary>
internal static class ComposerErrors
{
    public const string BasePath = "/api/image-builder-composer/v2";

    public const int Unauthenticated = 401;
    public const int Unauthorized = 2;
    public const int UnsupportedMediaType = 3;
    public const int UnsupportedDistribution = 4;
    public const int UnsupportedArchitecture = 5;
    public const int UnsupportedImageType = 6;
    public const int NoBaseUrlInPayloadRepository = 7;
    public const int InvalidComposeId = 14;
    public const int ComposeNotFound = 15;
    public const int ErrorNotFound = 17;
    public const int BodyDecodingError = 20;
    public const int ResourceNotFound = 21;
    public const int MethodNotAllowed = 22;
    public const int UnsupportedNumberOfImageBuilds = 25;
    public const int InvalidOstreeParams = 27;
    public const int NoGpgKey = 29;
    public const int ValidationError = 30;
    public const int InvalidCustomization = 35;
    public const int InvalidPartitioningMode = 37;
    public const int InvalidUploadTarget = 38;
    public const int BlueprintOrCustomization = 39;
    public const int EnqueueingJob = 1005;
    public const int Unspecified = 10000;
    public const int ComposeAlreadyFinished = 2001;
    public const int NothingToRetry = 2002;

    private static readonly ComposerError[] Catalogue =
    [
        new(Unauthenticated, 401, "Account authentication could not be verified"),
        new(Unauthorized, 403, "Account is unauthorized to perform this action"),
        new(UnsupportedMediaType, 415, "Only 'application/json' content is supported"),
        new(UnsupportedDistribution, 400, "Unsupported distribution"),
        new(UnsupportedArchitecture, 400, "Unsupported architecture"),
        new(UnsupportedImageType, 400, "Unsupported image type"),
        new(NoBaseUrlInPayloadRepository, 400, "Must specify baseurl, mirrorlist, or metalink"),
        new(InvalidComposeId, 400, "Invalid format for compose id"),
        new(ComposeNotFound, 404, "Compose with given id not found"),
        new(ErrorNotFound, 404, "Error with given id not found"),
        new(BodyDecodingError, 400, "Malformed json, unable to decode body"),
        new(ResourceNotFound, 404, "Requested resource doesn't exist"),
        new(MethodNotAllowed, 405, "Requested method isn't supported for resource"),
        new(UnsupportedNumberOfImageBuilds, 400, "Compose request has unsupported number of image builds"),
        new(InvalidOstreeParams, 400, "Invalid OSTree parameters or parameter combination"),
        new(NoGpgKey, 400, "Invalid repository, when check_gpg is set, gpgkey must be specified"),
        new(ValidationError, 400, "Request could not be validated"),
        new(InvalidCustomization, 400, "Invalid image customization"),
        new(InvalidPartitioningMode, 400, "Requested partitioning mode is invalid"),
        new(InvalidUploadTarget, 400, "Invalid upload target for image type"),
        new(BlueprintOrCustomization, 400, "Invalid request, include blueprint or customizations, not both"),
        new(EnqueueingJob, 500, "Failed to enqueue job"),
        new(Unspecified, 500, "Unspecified internal error"),
        new(ComposeAlreadyFinished, 409, "Compose has already finished"),
        new(NothingToRetry, 409, "Compose has no failed or canceled images to retry, or is still running"),
    ];

    private static readonly Dictionary<int, ComposerError> ById = Catalogue.ToDictionary(e => e.Id);

    /// <summary>Every error, in id order (for <c>GET /errors</c>).</summary>
    public static IEnumerable<ComposerError> All => Catalogue.OrderBy(e => e.Id);

    public static ComposerError? Find(int id) => ById.GetValueOrDefault(id);

    /// <summary>The catalogue entry as <c>GET /errors/{id}</c> shows it.</summary>
    public static JsonObject Describe(ComposerError error) => new()
    {
        ["href"] = $"{BasePath}/errors/{error.Id.ToString(CultureInfo.InvariantCulture)}",
        ["id"] = error.Id.ToString(CultureInfo.InvariantCulture),
        ["kind"] = "Error",
        ["code"] = $"IMAGE-BUILDER-COMPOSER-{error.Id.ToString(CultureInfo.InvariantCulture)}",
        ["reason"] = error.Reason,
    };

    /// <summary>The error response body for <paramref name="id"/> with a fresh operation id.</summary>
    public static JsonObject Body(int id, JsonNode? details = null)
    {
        var error = ById[id];
        var body = Describe(error);
        body["operation_id"] = Guid.NewGuid().ToString("N");
        if (details is not null)
        {
            body["details"] = details;
        }

        return body;
    }

    public static IResult Result(int id, JsonNode? details = null) => new JsonNodeResult(Body(id, details), ById[id].HttpStatus);

    public static IResult Result(int id, string details) => Result(id, JsonValue.Create(details));

    public static Task WriteAsync(HttpContext http, int id, string? details = null) =>
        Result(id, details is null ? null : JsonValue.Create(details)).ExecuteAsync(http);
}
