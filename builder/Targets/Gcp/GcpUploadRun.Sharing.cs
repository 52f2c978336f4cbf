using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>Step 4 of <see cref="GcpUploadRun"/>: sharing the image.</summary>
internal sealed partial class GcpUploadRun
{
    private const string ImageUserRole = "roles/compute.imageUser";

    /// <summary>Step 4: adds the members of <c>share_with_accounts</c>, as given, to the image's
    /// <c>roles/compute.imageUser</c> binding (read–modify–write with the policy's etag; members already there are
    /// not added again).</summary>
    public async Task ShareAsync(CancellationToken cancellationToken)
    {
        if (options.ShareWithAccounts.Count == 0)
        {
            return;
        }

        upload.Progress.Report(new ImageProgress(2, Steps, "gcp: sharing image"));
        try
        {
            var policy = await Step(TargetFailedException.SharingTarget, $"reading the IAM policy of image {imageName}",
                () => calls.GetImageIamPolicyAsync(project, imageName, cancellationToken)).ConfigureAwait(false);
            var added = AddMembers(policy, options.ShareWithAccounts);
            if (added.Count > 0)
            {
                await Step(TargetFailedException.SharingTarget, $"sharing image {imageName} with {string.Join(", ", added)}",
                    () => calls.SetImageIamPolicyAsync(project, imageName, policy, cancellationToken), conflictIsTransient: true).ConfigureAwait(false);
            }

            Log.GcpShared(logger, upload.Image, imageName, string.Join(", ", options.ShareWithAccounts));
        }
        catch (Exception e) when (e is OperationCanceledException or TargetFailedException { IsTransient: false })
        {
            await DeleteImageAsync(e is OperationCanceledException ? "the upload was canceled" : "sharing it failed", bestEffort: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Adds <paramref name="members"/> to the policy's unconditional imageUser binding; the ones added.</summary>
    private static List<string> AddMembers(JsonObject policy, IReadOnlyList<string> members)
    {
        if (policy["bindings"] is not JsonArray bindings)
        {
            policy["bindings"] = bindings = [];
        }

        var binding = bindings.OfType<JsonObject>().FirstOrDefault(b => b["role"]?.ToString() == ImageUserRole && b["condition"] is null);
        if (binding is null)
        {
            binding = new JsonObject { ["role"] = ImageUserRole, ["members"] = new JsonArray() };
            bindings.Add(binding);
        }

        if (binding["members"] is not JsonArray list)
        {
            binding["members"] = list = [];
        }

        var present = list.Select(m => m?.ToString()).ToHashSet(StringComparer.Ordinal);
        var added = members.Where(present.Add).ToList();
        foreach (var member in added)
        {
            list.Add(member);
        }

        return added;
    }
}
