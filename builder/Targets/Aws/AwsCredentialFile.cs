using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// An AWS shared credentials file and profile (<c>[builder.targets.aws] credentials</c>/<c>profile</c>, a generic
/// store's <c>credentials</c>), read with the SDK's own parser so every profile kind the SDK knows works (keys,
/// session tokens, role assumption). Problems name the file and the profile, never a value from it.
/// </summary>
internal static class AwsCredentialFile
{
    /// <summary>Why <paramref name="path"/>/<paramref name="profile"/> cannot give credentials, or null; reads the
    /// file only (no AWS call).</summary>
    public static string? Problem(string path, string profile)
    {
        try
        {
            _ = Load(path, profile);
            return null;
        }
        catch (TargetFailedException e)
        {
            return e.Message;
        }
    }

    /// <summary>The credentials of <paramref name="profile"/> in <paramref name="path"/>.</summary>
    /// <exception cref="TargetFailedException">InvalidTargetConfig (2): unreadable file, no such profile, no keys.</exception>
    public static AWSCredentials Load(string path, string profile)
    {
        try
        {
            using var probe = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TargetFailedException.Config($"cannot read the AWS credentials file '{path}': {e.Message}");
        }

        CredentialProfile? found;
        SharedCredentialsFile file;
        try
        {
            file = new SharedCredentialsFile(path);
            if (!file.TryGetProfile(profile, out found))
            {
                found = null;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parser's message may quote the file's text: say only that it is not a credentials file.
            throw TargetFailedException.Config($"'{path}' is not a valid AWS credentials file");
        }

        if (found is null)
        {
            throw TargetFailedException.Config($"the AWS credentials file '{path}' has no profile [{profile}]");
        }

        if (!found.CanCreateAWSCredentials || !AWSCredentialsFactory.TryGetAWSCredentials(found, file, out var credentials) || credentials is null)
        {
            throw TargetFailedException.Config(
                $"profile [{profile}] of the AWS credentials file '{path}' has no usable credentials (aws_access_key_id and aws_secret_access_key)");
        }

        return credentials;
    }
}
