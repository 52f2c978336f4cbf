using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>What users do to composes: create, cancel, retry.</summary>
internal abstract partial class RelationalComposeStore
{
    /// <inheritdoc />
    public async Task<(Compose Compose, bool Created)> CreateAsync(NewCompose compose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compose);
        Validate(compose);
        var row = new ComposeRow
        {
            Id = Guid.CreateVersion7(now),
            Name = compose.Name,
            Version = compose.Version,
            Release = compose.Release,
            ReleaseGenerated = compose.ReleaseGenerated,
            Distribution = compose.Distribution,
            KojiTaskId = compose.KojiTaskId,
            KojiServer = compose.KojiServer,
            Customizations = compose.Customizations?.DeepClone().AsObject(),
            Request = compose.Request?.DeepClone().AsObject(),
            Seed = compose.Seed,
            SubmittedBy = compose.SubmittedBy,
            State = ComposeState.Pending,
            InitState = StepState.Pending,
            FinalizeState = StepState.Pending,
            Remaining = compose.Images.Count,
            CreatedAt = now,
            UpdatedAt = now,
        };
        for (var i = 0; i < compose.Images.Count; i++)
        {
            var image = compose.Images[i];
            row.Images.Add(new ImageRow
            {
                Index = i,
                Arch = image.Arch,
                ImageType = image.ImageType,
                ImageRequest = image.ImageRequest.DeepClone().AsObject(),
                State = ImageState.Pending,
            });
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        int inserted;
        await using (var command = Command(transaction, $"""
            INSERT INTO {ComposeTable} (id, name, version, release, nvr_lower, distribution, koji_task_id, koji_server,
                customizations, request, seed, submitted_by, state, cancel_requested, generation, remaining,
                finalize_claimed, row_version, init_state, init_attempts, init_lost_workers,
                finalize_state, finalize_attempts, finalize_lost_workers, created_at, updated_at, release_generated)
            VALUES (@id, @name, @version, @release, @nvr_lower, @distribution, @koji_task_id, @koji_server,
                @customizations, @request, @seed, @submitted_by, @state, FALSE, 0, @remaining,
                FALSE, 0, @init_state, 0, 0, @finalize_state, 0, 0, @created_at, @created_at, @release_generated)
            ON CONFLICT (koji_task_id) DO NOTHING
            """))
        {
            Add(command, "id", row.Id);
            Add(command, "name", row.Name);
            Add(command, "version", row.Version);
            Add(command, "release", row.Release);
            Add(command, "nvr_lower", row.NvrLower);
            Add(command, "distribution", row.Distribution);
            Add(command, "koji_task_id", row.KojiTaskId);
            Add(command, "koji_server", row.KojiServer);
            Add(command, "customizations", JsonColumns.Of(row.Customizations));
            Add(command, "request", JsonColumns.Of(row.Request));
            Add(command, "seed", row.Seed);
            Add(command, "submitted_by", row.SubmittedBy);
            Add(command, "state", row.State.ToWire());
            Add(command, "remaining", row.Remaining);
            Add(command, "init_state", row.InitState.ToWire());
            Add(command, "finalize_state", row.FinalizeState.ToWire());
            Add(command, "created_at", row.CreatedAt);
            Add(command, "release_generated", row.ReleaseGenerated);
            inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (inserted == 0)
        {
            // The task already has a compose (ON CONFLICT on the unique koji_task_id): return it, change nothing.
            var existing = await LoadAsync(transaction, "koji_task_id = @task", cmd => Add(cmd, "task", compose.KojiTaskId), forUpdate: false, cancellationToken).ConfigureAwait(false);
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return (existing?.ToModel() ?? throw new InvalidOperationException($"Koji task {compose.KojiTaskId} has a compose that cannot be read"), false);
        }

        foreach (var image in row.Images)
        {
            await using var command = Command(transaction, $"""
                INSERT INTO {ImageTable} (compose_id, idx, arch, image_type, image_request, state, uploads, counted,
                    attempts, lost_workers)
                VALUES (@compose_id, @idx, @arch, @image_type, @image_request, @state, @uploads, FALSE, 0, 0)
                """);
            Add(command, "compose_id", row.Id);
            Add(command, "idx", image.Index);
            Add(command, "arch", image.Arch);
            Add(command, "image_type", image.ImageType);
            Add(command, "image_request", JsonColumns.Of(image.ImageRequest));
            Add(command, "state", image.State.ToWire());
            Add(command, "uploads", JsonColumns.Of(image.Uploads));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (row.ToModel(), true);
    }

    /// <inheritdoc />
    public Task<CancelResult> RequestCancelAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(composeId, row =>
        {
            if (row.State.IsFinal())
            {
                return (false, new CancelResult(CancelOutcome.AlreadyFinal, false));
            }

            if (row.CancelRequested)
            {
                return (false, new CancelResult(CancelOutcome.Requested, false));
            }

            row.CancelRequested = true;
            row.UpdatedAt = now;
            if (row.InitState == StepState.Pending)
            {
                row.InitState = StepState.Canceled;
                row.Init.FinishedAt = now;
                ComposeRules.CancelPendingImages(row, now);
            }
            else if (row.InitState == StepState.Success)
            {
                ComposeRules.CancelPendingImages(row, now);
            }

            // A running init or image sees the request when it renews its lease and ends itself.
            return (true, new CancelResult(CancelOutcome.Requested, ComposeRules.TryClaimFinalize(row, now)));
        }, new CancelResult(CancelOutcome.NotFound, false), cancellationToken);

    /// <inheritdoc />
    public Task<RetryResult> RetryFailedAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(composeId, row =>
        {
            if (row.State is not (ComposeState.Failure or ComposeState.Canceled))
            {
                return (false, new RetryResult(RetryOutcome.NotRetryable, 0));
            }

            row.Generation++;
            row.CancelRequested = false;
            row.InitState = StepState.Pending;
            row.InitError = null;
            row.Reservation = null;
            row.Init.Reset();
            var reset = 0;
            foreach (var image in row.Images.Where(i => i.State is ImageState.Failure or ImageState.Canceled))
            {
                image.State = ImageState.Pending;
                image.Error = null;
                image.Progress = null;
                image.Uploads = [];
                image.Manifest = null;
                image.Result = null;
                image.Counted = false;
                image.Lease.Reset();
                image.Dirty = true;
                reset++;
            }

            row.Remaining = reset;
            row.FinalizeClaimed = false;
            row.FinalizeState = StepState.Pending;
            row.FinalizeError = null;
            row.FinalizeResult = null;
            row.Finalize.Reset();
            row.State = ComposeState.Pending;
            row.FinishedAt = null;
            row.UpdatedAt = now;
            return (true, new RetryResult(RetryOutcome.Restarted, reset));
        }, new RetryResult(RetryOutcome.NotFound, 0), cancellationToken);

    private static void Validate(NewCompose compose)
    {
        Require(compose.Name, "name");
        Require(compose.Version, "version");
        Require(compose.Release, "release");
        Require(compose.Distribution, "distribution");
        if (compose.KojiServer is { Length: 0 })
        {
            throw new ArgumentException("the Koji server is empty (null means no Koji build)", nameof(compose));
        }

        if (compose.Images is null || compose.Images.Count == 0)
        {
            throw new ArgumentException("a compose needs at least one image", nameof(compose));
        }

        foreach (var image in compose.Images)
        {
            if (string.IsNullOrWhiteSpace(image.Arch) || string.IsNullOrWhiteSpace(image.ImageType) || image.ImageRequest is null)
            {
                throw new ArgumentException("every image needs an architecture, an image type and its image request", nameof(compose));
            }
        }
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"the compose's {field} is empty", "compose");
        }
    }
}
