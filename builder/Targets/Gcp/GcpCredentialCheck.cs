using Google.Apis.Auth.OAuth2;
using KojiComposer.Config;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>The start-up check of <c>[builder.targets.gcp]</c>: the key loads as a service account credential and a
/// project is known. Application Default Credentials are only found at upload time (they depend on the machine).</summary>
internal static class GcpCredentialCheck
{
    public static IReadOnlyList<string> Problems(GcpTargetOptions gcp)
    {
        if (gcp.Credentials is not { } path)
        {
            return [];
        }

        ServiceAccountCredential account;
        try
        {
            account = CredentialFactory.FromFile<ServiceAccountCredential>(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"[builder.targets.gcp] credentials: cannot read \"{path}\": {e.Message}"];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not the message: it may quote the file, which holds the private key.
            return [$"[builder.targets.gcp] credentials: \"{path}\" is not a usable service account key (JSON with type \"service_account\", client_email and an RSA private_key)"];
        }

        return gcp.ProjectId is null && string.IsNullOrEmpty(account.ProjectId)
            ? [$"[builder.targets.gcp]: no project_id, and the key \"{path}\" names none"]
            : [];
    }
}
