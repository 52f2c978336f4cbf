using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>Names and labels of the GCP target.</summary>
internal static partial class GcpNames
{
    /// <summary>The label on every image this target makes saying which upload made it (see <see cref="UploadToken"/>).</summary>
    public const string UploadLabel = "kojicomposer-upload";

    /// <summary>The label with the compose id, for people looking at the project.</summary>
    public const string ComposeLabel = "kojicomposer-compose";

    /// <summary>The custom metadata key of the staging object holding the image name (cloud-targets.md §5 step 1).</summary>
    public const string ImageNameMetadata = "image-name";

    /// <summary>Compute Engine's rule for resource names (RFC 1035 labels).</summary>
    public const string ImageNameRule = "1 to 63 characters: a lower-case letter, then lower-case letters, digits and '-', not ending with '-' ([a-z]([-a-z0-9]*[a-z0-9])?)";

    /// <summary>True when <paramref name="name"/> is a valid image name.</summary>
    public static bool IsValidImageName(string name) => name.Length <= 63 && ImageNamePattern().IsMatch(name);

    /// <summary>A label value (32 hex digits) that identifies one upload: derived from its generated name, which is the
    /// same on every attempt of the upload and new for every other one, so a retried upload recognises the image its
    /// earlier attempt made (and an image of another build with the same name is not taken for ours).</summary>
    public static string UploadToken(string generatedName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(generatedName)).AsSpan(0, 16));

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageNamePattern();
}
