using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

public sealed partial class ContentGeneratorSteps
{
    /// <summary>How many releases a compose with a generated release tries before it gives up (each taken one is
    /// replaced by the hub's next).</summary>
    internal const int MaxReleaseAttempts = 5;

    /// <summary>
    /// CGInitBuild(cg, {name, version, release}) without a task id, as composer reserves: the build then lives on its
    /// own, and a cancelled task is refunded CANCELED by us (cg-import.md §2, §5). An NVR already taken is asked again
    /// with the hub's next release when the release was generated; a user's release fails (15). "Build is already
    /// reserved" for a reservation of ours that no other compose holds is our own, whose reply a crash lost: it is
    /// released with cancelBuild and made again (same build id, new token; koji-wire.md §5).
    /// </summary>
    public async Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compose);
        if (compose.KojiServer is null)
        {
            return null;
        }

        CheckHub(compose, "reserve");
        CheckNvr(compose);
        var session = await LogInAsync("reserve " + compose.Nvr, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var release = compose.Release;
            var recovered = false;
            for (var attempt = 1; ; attempt++)
            {
                KojiFaultException taken;
                try
                {
                    var reserved = await session.CGInitBuildAsync(_contentGenerator, compose.Name, compose.Version, release, taskId: null, cancellationToken).ConfigureAwait(false);
                    Log.CgReserved(_logger, compose.Id, reserved.BuildId, $"{compose.Name}-{compose.Version}-{release}", HubUrl, _contentGenerator);
                    return new Reservation(reserved.BuildId, reserved.Token)
                    {
                        Release = string.Equals(release, compose.Release, StringComparison.Ordinal) ? null : release,
                    };
                }
                catch (KojiFaultException fault) when (!fault.IsTransient && IsTaken(fault))
                {
                    taken = fault;
                }
                catch (KojiException e) when (!e.IsTransient)
                {
                    throw InitError(compose, release, e);
                }

                // Only for the compose's own release: a release we moved on to could be another compose's too, one
                // whose reservation is not stored yet and whose stored release is still the one it started with, so
                // the store could not tell us that it holds it.
                if (!recovered && string.Equals(release, compose.Release, StringComparison.Ordinal) &&
                    taken.FaultString.StartsWith(AlreadyReserved, StringComparison.Ordinal))
                {
                    try
                    {
                        recovered = await ReleaseLostReservationAsync(session, compose, cancellationToken).ConfigureAwait(false);
                    }
                    catch (KojiException e) when (!e.IsTransient)
                    {
                        throw new ComposeStepException(new JobError(JobErrorCodes.KojiInit,
                            $"cannot reserve {compose.Nvr} on {HubUrl}: {taken.FaultString}; releasing what looked like a lost reservation of ours failed: {HubText(e)}"), isTransient: false, e);
                    }

                    if (recovered)
                    {
                        continue;
                    }
                }

                if (!compose.ReleaseGenerated)
                {
                    throw InitError(compose, release, taken);
                }

                if (attempt >= MaxReleaseAttempts)
                {
                    throw new ComposeStepException(new JobError(JobErrorCodes.KojiInit,
                        $"cannot reserve a release of {compose.Name}-{compose.Version} on {HubUrl}: {attempt} generated releases were taken one after another, the last {release}: {taken.FaultString}"));
                }

                string next;
                try
                {
                    next = await session.GetNextReleaseAsync(compose.Name, compose.Version, cancellationToken).ConfigureAwait(false);
                }
                catch (KojiException e) when (!e.IsTransient)
                {
                    throw new ComposeStepException(new JobError(JobErrorCodes.KojiInit,
                        $"cannot reserve {compose.Name}-{compose.Version}-{release} on {HubUrl}: {taken.FaultString}; asking for the next release failed: {HubText(e)}"), isTransient: false, e);
                }

                if (string.Equals(next, release, StringComparison.Ordinal))
                {
                    // getNextRelease skips FAILED and CANCELED builds, so a refunded build the hub will not recycle
                    // (it has history) is offered again.
                    throw InitError(compose, release, taken);
                }

                Log.CgReleaseTaken(_logger, compose.Id, release, taken.FaultString, next);
                release = next;
            }
        }
    }

    private const string AlreadyReserved = "Build is already reserved";

    /// <summary>The CGInitBuild faults that mean "this NVR is someone's" (cg-import.md §2 table).</summary>
    private static bool IsTaken(KojiFaultException fault) =>
        fault.FaultString.StartsWith(AlreadyReserved, StringComparison.Ordinal) ||
        fault.FaultString.StartsWith("Build already exists", StringComparison.Ordinal) ||
        fault.FaultString.StartsWith("Build already in progress", StringComparison.Ordinal);

    /// <summary>koji.check_NVR, before any hub call: no <c>-</c> in version or release, in the hub's words.</summary>
    private static void CheckNvr(Compose compose)
    {
        foreach (var (field, value) in new[] { ("version", compose.Version), ("release", compose.Release) })
        {
            if (value.Contains('-', StringComparison.Ordinal))
            {
                throw new ComposeStepException(new JobError(JobErrorCodes.KojiInit,
                    $"cannot reserve {compose.Nvr}: The \"-\" character not allowed in {field} field"));
            }
        }
    }

    private ComposeStepException InitError(Compose compose, string release, KojiException e) =>
        new(new JobError(JobErrorCodes.KojiInit, $"cannot reserve {compose.Name}-{compose.Version}-{release} on {HubUrl}: {HubText(e)}"), isTransient: false, e);

    /// <summary>
    /// Whether the reservation the hub reports for the compose's NVR is ours and lost, and if so releases it: the
    /// build is BUILDING without a task, reserved by our CG, owned by our CG user, and no other compose that is not
    /// final has that NVR while its reservation runs or with a reservation stored. Then it can only be ours: we
    /// reserved it and a crash (or a lost lease) lost the token before it was stored.
    /// </summary>
    private async Task<bool> ReleaseLostReservationAsync(KojiSession session, Compose compose, CancellationToken cancellationToken)
    {
        var build = await session.GetBuildAsync(compose.Nvr, strict: false, cancellationToken).ConfigureAwait(false);
        if (build is not { State: KojiBuildState.Building })
        {
            return false; // refunded meanwhile: the next CGInitBuild recycles it anyway
        }

        var me = await session.GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false);
        if (build.OwnerId != me?.Id || !string.Equals(build.CgName, _contentGenerator, StringComparison.Ordinal) || build.TaskId is not null)
        {
            // A task's reservation (cancelBuild would cancel the task too) or another user's or CG's: not ours.
            Log.CgReservedByOther(_logger, compose.Id, compose.Nvr,
                $"build {build.Id} of {build.OwnerName ?? "an unknown user"}, content generator {build.CgName ?? "none"}{(build.TaskId is { } t ? $", task {t}" : "")}");
            return false;
        }

        var holder = (await _store.FindByNvrAsync(compose.Name, compose.Version, compose.Release, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(c => c.Id != compose.Id && !c.State.IsFinal() && (c.InitState == StepState.Running || c.Reservation is not null));
        if (holder is not null)
        {
            Log.CgReservedByOther(_logger, compose.Id, compose.Nvr, $"compose {holder.Id}");
            return false;
        }

        // cancelBuild: the owner may, without the token; the reservation goes, the build is CANCELED and the next
        // CGInitBuild recycles the same build id (cg-import.md §5). False: it left BUILDING meanwhile, which the
        // next CGInitBuild sees for itself.
        await session.CancelBuildAsync(build.Id, cancellationToken).ConfigureAwait(false);
        Log.CgLostReservationReleased(_logger, compose.Id, build.Id, compose.Nvr);
        return true;
    }
}
