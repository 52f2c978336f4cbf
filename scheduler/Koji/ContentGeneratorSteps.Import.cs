using System.Text;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

public sealed partial class ContentGeneratorSteps
{
    /// <summary>Composer's CGImport retry rule: 10 tries, 1 s apart, only on "Corrupted upload" (a hub replica's NFS
    /// view of the upload lagging behind, osbuild-composer #3479; cg-import.md §4).</summary>
    internal const int ImportAttempts = 10;

    internal static readonly TimeSpan ImportRetryDelay = TimeSpan.FromSeconds(1);

    private const string MetadataFile = "metadata.json";

    /// <summary>
    /// CGImport of every image into the reserved build. Koji's state first: a build already COMPLETE is an import
    /// whose reply was lost, one no longer BUILDING has nothing to import into. Then every archive's name is checked
    /// with getArchiveType, because the hub finds a name it has no type for only after moving the outputs before it,
    /// which leaves the upload directory unusable (cg-import.md §4 step 7). Returns <c>{"build_id", "koji_error"}</c>.
    /// </summary>
    public async Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compose);
        if (compose.KojiServer is null)
        {
            return null;
        }

        var reservation = compose.Reservation ?? throw ImportError(compose, $"compose {compose.Id} has no reservation to import into");
        CheckHub(compose, "import");
        JsonObject metadata;
        try
        {
            metadata = CGMetadata.Build(compose, _contentGenerator, ProducerVersion, _time.GetUtcNow());
        }
        catch (InvalidOperationException e)
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.KojiFinalize, $"cannot import {compose.Nvr}: {e.Message}"), isTransient: false, e);
        }

        var directory = UploadDirectory(compose);
        var files = compose.Images.OrderBy(i => i.Index).SelectMany(i => ImageBuildResult.FromJson(i.Result!).Koji!.Files).ToList();
        var session = await LogInAsync("import " + compose.Nvr, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            try
            {
                if (await CheckBuildAsync(session, compose, reservation, cancellationToken).ConfigureAwait(false))
                {
                    return ImportResult(reservation.BuildId);
                }

                await CheckArchiveTypesAsync(session, compose, directory, files, cancellationToken).ConfigureAwait(false);
                var argument = await MetadataArgumentAsync(session, compose, directory, metadata.ToJsonString(), cancellationToken).ConfigureAwait(false);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var build = await session.CGImportAsync(argument, directory, ForHub(reservation), cancellationToken).ConfigureAwait(false);
                        Log.CgImported(_logger, compose.Id, build.Id, build.Nvr, directory, files.Count);
                        return ImportResult(build.Id);
                    }
                    catch (KojiFaultException fault) when (!fault.IsTransient && attempt < ImportAttempts &&
                                                           fault.FaultString.Contains("Corrupted upload", StringComparison.Ordinal))
                    {
                        Log.CgImportRetrying(_logger, compose.Id, reservation.BuildId, attempt, ImportAttempts, ImportRetryDelay.TotalSeconds, fault.FaultString);
                        await Task.Delay(ImportRetryDelay, _time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (KojiException e) when (!e.IsTransient)
            {
                throw new ComposeStepException(ImportError(compose, $"CGImport of build {reservation.BuildId} into {HubUrl} failed: {HubText(e)}").Error, isTransient: false, e);
            }
        }
    }

    /// <summary>True when the build is already imported; throws when it is neither that nor BUILDING.</summary>
    private async Task<bool> CheckBuildAsync(KojiSession session, Compose compose, Reservation reservation, CancellationToken cancellationToken)
    {
        var build = await session.GetBuildAsync(reservation.BuildId, strict: false, cancellationToken).ConfigureAwait(false);
        switch (build?.State)
        {
            case KojiBuildState.Building:
                return false;
            case KojiBuildState.Complete when string.Equals(build.Name, compose.Name, StringComparison.Ordinal) &&
                                              string.Equals(build.Version, compose.Version, StringComparison.Ordinal):
                Log.CgAlreadyImported(_logger, compose.Id, build.Id);
                return true;
            case null:
                throw ImportError(compose, $"build {reservation.BuildId} does not exist on {HubUrl}");
            default:
                throw ImportError(compose,
                    $"build {build.Id} ({build.Nvr}) is {build.State.ToString().ToUpperInvariant()} on {HubUrl}, not BUILDING: its reservation was refunded or cancelled (cancelling the task cancels it), so there is nothing to import into");
        }
    }

    /// <summary>getArchiveType(filename) for every output but the logs: the hub must know each one's type.</summary>
    private async Task CheckArchiveTypesAsync(KojiSession session, Compose compose, string directory, List<KojiOutputFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files.Where(f => !string.Equals(f.Type, "log", StringComparison.Ordinal)))
        {
            if (await session.GetArchiveTypeNameAsync(file.Filename, cancellationToken).ConfigureAwait(false) is null)
            {
                throw ImportError(compose,
                    $"the hub {HubUrl} has no archive type for {file.Filename} (getArchiveType found none for its extension), so CGImport would refuse it; nothing was imported and {directory} is unchanged");
            }
        }
    }

    /// <summary>The metadata as CGImport's first argument: the JSON text itself, or, when the request would come near
    /// the hub's MaxRequestLength, the name of the copy uploaded into the directory (cg-import.md §4).</summary>
    private async Task<string> MetadataArgumentAsync(KojiSession session, Compose compose, string directory, string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (bytes.LongLength <= InlineMetadataLimit)
        {
            return json;
        }

        using var content = new MemoryStream(bytes, writable: false);
        await session.UploadAsync(content, directory, MetadataFile, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.CgMetadataUploaded(_logger, compose.Id, bytes.LongLength, directory);
        return MetadataFile;
    }

    /// <summary>The one directory every image uploaded into (they all derive it from the compose id).</summary>
    private static string UploadDirectory(Compose compose)
    {
        var directories = compose.Images.Select(i => ImageBuildResult.FromJson(i.Result!).Koji!.Directory).Distinct(StringComparer.Ordinal).ToList();
        return directories.Count == 1
            ? directories[0]
            : throw ImportError(compose, $"its images were uploaded into different directories ({string.Join(", ", directories)}); one CGImport takes one");
    }

    private static string ImportResult(long buildId) => new JsonObject { ["build_id"] = buildId, ["koji_error"] = string.Empty }.ToJsonString();

    private static ComposeStepException ImportError(Compose compose, string why) =>
        new(new JobError(JobErrorCodes.KojiFinalize, $"cannot import {compose.Nvr}: {why}"));
}
