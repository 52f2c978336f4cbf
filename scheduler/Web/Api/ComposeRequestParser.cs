using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>
/// Checks composer's Koji <c>POST /compose</c> body (composer-api.md §3) and makes the <see cref="NewCompose"/>:
/// shape first (error 30, like composer's OpenAPI validation), then composer's specific rules in its order
/// (39, 25, 4, 5, 6, 7, 29, 27, 37, 38). What needs the distribution's definitions (package names, image type per
/// distribution) is the builder's to refuse, as a job error.
/// </summary>
internal static partial class ComposeRequestParser
{
    /// <summary>Architectures composer builds for.</summary>
    internal static readonly HashSet<string> Architectures = new(StringComparer.Ordinal) { "x86_64", "aarch64", "ppc64le", "s390x", "riscv64" };

    /// <summary>Composer's image type names (its OpenAPI <c>ImageTypes</c> enum).</summary>
    internal static readonly HashSet<string> ImageTypes = new(StringComparer.Ordinal)
    {
        "aws", "aws-ha-rhui", "aws-rhui", "aws-sap-rhui", "azure", "azure-cvm", "azure-eap7-rhui", "azure-rhui",
        "azure-sap-rhui", "azure-sapapps-rhui", "edge-commit", "edge-container", "edge-installer", "gcp", "gcp-rhui",
        "guest-image", "image-installer", "iot-bootable-container", "iot-commit", "iot-container", "iot-installer",
        "iot-raw-image", "iot-simplified-installer", "live-installer", "minimal-raw", "minimal-installer", "oci",
        "vsphere", "vsphere-ova", "wsl",
    };

    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "distribution", "koji", "image_request", "image_requests", "customizations", "blueprint", "bootc",
    };

    private static readonly HashSet<string> KojiKeys = new(StringComparer.Ordinal) { "server", "task_id", "name", "version", "release" };

    private static readonly HashSet<string> ImageRequestKeys = new(StringComparer.Ordinal)
    {
        "architecture", "image_type", "repositories", "ostree", "upload_options", "upload_targets", "size",
    };

    private static readonly HashSet<string> PartitioningModes = new(StringComparer.Ordinal) { "raw", "lvm", "auto-lvm" };

    /// <summary>The body as text parsed to JSON, or null (error 20) when it is not JSON.</summary>
    public static JsonNode? ParseBody(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Validates <paramref name="body"/>; on success <paramref name="compose"/> is set, otherwise
    /// <paramref name="error"/> holds the error id and details.</summary>
    public static bool TryParse(JsonNode? body, string? submittedBy, out NewCompose? compose, out (int Id, string Details) error)
    {
        compose = null;
        if (body is not JsonObject root)
        {
            error = (ComposerErrors.ValidationError, "request body must be a JSON object");
            return false;
        }

        var problems = new List<string>();
        CheckShape(root, problems);
        if (problems.Count > 0)
        {
            error = (ComposerErrors.ValidationError, string.Join("; ", problems));
            return false;
        }

        if (root["blueprint"] is not null && root["customizations"] is not null)
        {
            error = (ComposerErrors.BlueprintOrCustomization, "blueprint and customizations are mutually exclusive");
            return false;
        }

        if ((root["image_request"] is null) == (root["image_requests"] is null))
        {
            error = (ComposerErrors.UnsupportedNumberOfImageBuilds, "give exactly one of image_request and image_requests");
            return false;
        }

        var requests = root["image_requests"] is JsonArray list ? list.Cast<JsonObject>().ToList() : [root["image_request"]!.AsObject()];
        if (requests.Count == 0)
        {
            error = (ComposerErrors.UnsupportedNumberOfImageBuilds, "image_requests is empty");
            return false;
        }

        if (!IsDistribution(root["distribution"]!.GetValue<string>()))
        {
            error = (ComposerErrors.UnsupportedDistribution, root["distribution"]!.GetValue<string>());
            return false;
        }

        for (var i = 0; i < requests.Count; i++)
        {
            if (CheckImageRequest(requests[i], i) is { } imageError)
            {
                error = imageError;
                return false;
            }
        }

        if (root["customizations"] is JsonObject customizations
            && customizations["partitioning_mode"] is JsonNode mode
            && (mode.GetValueKind() != JsonValueKind.String || !PartitioningModes.Contains(mode.GetValue<string>())))
        {
            error = (ComposerErrors.InvalidPartitioningMode, "partitioning_mode must be raw, lvm or auto-lvm");
            return false;
        }

        var koji = root["koji"]!.AsObject();
        compose = new NewCompose
        {
            Name = koji["name"]!.GetValue<string>(),
            Version = koji["version"]!.GetValue<string>(),
            Release = koji["release"]!.GetValue<string>(),
            Distribution = root["distribution"]!.GetValue<string>(),
            KojiTaskId = koji["task_id"]!.GetValue<long>(),
            KojiServer = koji["server"]!.GetValue<string>(),
            Images = requests.Select(r => new NewComposeImage(
                r["architecture"]!.GetValue<string>(), r["image_type"]!.GetValue<string>(), r.DeepClone().AsObject())).ToList(),
            Customizations = root["customizations"]?.DeepClone().AsObject(),
            Request = root.DeepClone().AsObject(),
            Seed = Random.Shared.NextInt64(0, long.MaxValue),
            SubmittedBy = submittedBy,
        };
        error = default;
        return true;
    }

    /// <summary>Distribution names look like <c>fedora-42</c>, <c>rhel-9.6</c>, <c>centos-10</c>: a name and a
    /// version. Which ones are buildable is the builder's knowledge.</summary>
    private static bool IsDistribution(string name) => DistributionPattern().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9]+(\.[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex DistributionPattern();
}
