using System.Data.Common;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>Row mapping: the column lists, reading a compose and its images, and writing back what changed.</summary>
internal abstract partial class RelationalComposeStore
{
    /// <summary>Columns of the compose table, in the order <see cref="ReadCompose"/> reads them.</summary>
    private const string ComposeColumns =
        "id, name, version, release, distribution, koji_task_id, koji_server, customizations, request, seed, submitted_by, " +
        "state, cancel_requested, generation, remaining, finalize_claimed, row_version, " +
        "init_state, init_error, reservation_build_id, reservation_token, " +
        "init_worker, init_lease_until, init_attempts, init_lost_workers, init_started_at, init_finished_at, init_job_id, init_enqueued_at, " +
        "finalize_state, finalize_error, finalize_result, " +
        "finalize_worker, finalize_lease_until, finalize_attempts, finalize_lost_workers, finalize_started_at, finalize_finished_at, finalize_job_id, finalize_enqueued_at, " +
        "created_at, updated_at, finished_at, release_generated";

    /// <summary>Columns of the image table, in the order <see cref="ReadImage"/> reads them.</summary>
    private const string ImageColumns =
        "compose_id, idx, arch, image_type, image_request, state, progress, error, uploads, manifest, result, counted, " +
        "worker, lease_until, attempts, lost_workers, started_at, finished_at, job_id, enqueued_at";

    /// <summary>Writes back a loaded compose's changeable columns and its changed images.</summary>
    private async Task SaveAsync(DbTransaction transaction, ComposeRow row, CancellationToken cancellationToken)
    {
        await using (var command = Command(transaction, $"""
            UPDATE {ComposeTable} SET
                release = @release, nvr_lower = @nvr_lower, state = @state, cancel_requested = @cancel_requested, generation = @generation, remaining = @remaining,
                finalize_claimed = @finalize_claimed, row_version = @row_version + 1,
                init_state = @init_state, init_error = @init_error, reservation_build_id = @reservation_build_id,
                reservation_token = @reservation_token,
                init_worker = @init_worker, init_lease_until = @init_lease_until, init_attempts = @init_attempts,
                init_lost_workers = @init_lost_workers, init_started_at = @init_started_at, init_finished_at = @init_finished_at,
                init_job_id = @init_job_id, init_enqueued_at = @init_enqueued_at,
                finalize_state = @finalize_state, finalize_error = @finalize_error, finalize_result = @finalize_result,
                finalize_worker = @finalize_worker, finalize_lease_until = @finalize_lease_until,
                finalize_attempts = @finalize_attempts, finalize_lost_workers = @finalize_lost_workers,
                finalize_started_at = @finalize_started_at, finalize_finished_at = @finalize_finished_at,
                finalize_job_id = @finalize_job_id, finalize_enqueued_at = @finalize_enqueued_at,
                updated_at = @updated_at, finished_at = @finished_at
            WHERE id = @id AND row_version = @row_version
            """))
        {
            BindMutableCompose(command, row);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Cannot happen while the lock holds; refusing is better than a silent lost update.
                throw new InvalidOperationException($"compose {row.Id} changed under its lock");
            }
        }

        foreach (var image in row.Images.Where(i => i.Dirty))
        {
            await using var command = Command(transaction, $"""
                UPDATE {ImageTable} SET
                    state = @state, progress = @progress, error = @error, uploads = @uploads, manifest = @manifest,
                    result = @result, counted = @counted, worker = @worker, lease_until = @lease_until,
                    attempts = @attempts, lost_workers = @lost_workers, started_at = @started_at,
                    finished_at = @finished_at, job_id = @job_id, enqueued_at = @enqueued_at
                WHERE compose_id = @compose_id AND idx = @idx
                """);
            Add(command, "compose_id", row.Id);
            BindMutableImage(command, image);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        row.RowVersion++;
    }

    private void BindMutableCompose(DbCommand command, ComposeRow row)
    {
        Add(command, "id", row.Id);
        Add(command, "release", row.Release);
        Add(command, "nvr_lower", row.NvrLower);
        Add(command, "state", row.State.ToWire());
        Add(command, "cancel_requested", row.CancelRequested);
        Add(command, "generation", row.Generation);
        Add(command, "remaining", row.Remaining);
        Add(command, "finalize_claimed", row.FinalizeClaimed);
        Add(command, "row_version", row.RowVersion);
        Add(command, "init_state", row.InitState.ToWire());
        Add(command, "init_error", JsonColumns.Of(row.InitError));
        Add(command, "reservation_build_id", row.Reservation?.BuildId);
        Add(command, "reservation_token", row.Reservation?.Token);
        BindLease(command, "init_", row.Init);
        Add(command, "finalize_state", row.FinalizeState.ToWire());
        Add(command, "finalize_error", JsonColumns.Of(row.FinalizeError));
        Add(command, "finalize_result", row.FinalizeResult);
        BindLease(command, "finalize_", row.Finalize);
        Add(command, "updated_at", row.UpdatedAt);
        Add(command, "finished_at", row.FinishedAt);
    }

    private void BindMutableImage(DbCommand command, ImageRow image)
    {
        Add(command, "idx", image.Index);
        Add(command, "state", image.State.ToWire());
        Add(command, "progress", JsonColumns.Of(image.Progress));
        Add(command, "error", JsonColumns.Of(image.Error));
        Add(command, "uploads", JsonColumns.Of(image.Uploads));
        Add(command, "manifest", image.Manifest);
        Add(command, "result", image.Result);
        Add(command, "counted", image.Counted);
        BindLease(command, "", image.Lease);
    }

    private void BindLease(DbCommand command, string prefix, StepLease lease)
    {
        Add(command, prefix + "worker", lease.Worker);
        Add(command, prefix + "lease_until", lease.LeaseUntil);
        Add(command, prefix + "attempts", lease.Attempts);
        Add(command, prefix + "lost_workers", lease.LostWorkers);
        Add(command, prefix + "started_at", lease.StartedAt);
        Add(command, prefix + "finished_at", lease.FinishedAt);
        Add(command, prefix + "job_id", lease.JobId);
        Add(command, prefix + "enqueued_at", lease.EnqueuedAt);
    }

    private ComposeRow ReadCompose(DbDataReader reader)
    {
        var buildId = NullableInt64(reader, 19);
        var token = NullableString(reader, 20);
        var row = new ComposeRow
        {
            Id = reader.GetGuid(0),
            Name = reader.GetString(1),
            Version = reader.GetString(2),
            Release = reader.GetString(3),
            ReleaseGenerated = reader.GetBoolean(43),
            Distribution = reader.GetString(4),
            KojiTaskId = NullableInt64(reader, 5),
            KojiServer = NullableString(reader, 6),
            Customizations = JsonColumns.ReadObject(NullableString(reader, 7)),
            Request = JsonColumns.ReadObject(NullableString(reader, 8)),
            Seed = reader.GetInt64(9),
            SubmittedBy = NullableString(reader, 10),
            State = Enum.Parse<ComposeState>(reader.GetString(11), ignoreCase: true),
            CancelRequested = reader.GetBoolean(12),
            Generation = reader.GetInt32(13),
            Remaining = reader.GetInt32(14),
            FinalizeClaimed = reader.GetBoolean(15),
            RowVersion = reader.GetInt64(16),
            InitState = Enum.Parse<StepState>(reader.GetString(17), ignoreCase: true),
            InitError = JsonColumns.ReadError(NullableString(reader, 18)),
            Reservation = buildId is { } id && token is not null ? new Reservation(id, token) : null,
            FinalizeState = Enum.Parse<StepState>(reader.GetString(29), ignoreCase: true),
            FinalizeError = JsonColumns.ReadError(NullableString(reader, 30)),
            FinalizeResult = NullableString(reader, 31),
            CreatedAt = ReadTime(reader, 40),
            UpdatedAt = ReadTime(reader, 41),
            FinishedAt = NullableTime(reader, 42),
        };
        ReadLease(reader, 21, row.Init);
        ReadLease(reader, 32, row.Finalize);
        return row;
    }

    private ImageRow ReadImage(DbDataReader reader)
    {
        var image = new ImageRow
        {
            Index = reader.GetInt32(1),
            Arch = reader.GetString(2),
            ImageType = reader.GetString(3),
            ImageRequest = JsonColumns.ReadObject(reader.GetString(4))!,
            State = Enum.Parse<ImageState>(reader.GetString(5), ignoreCase: true),
            Progress = JsonColumns.ReadProgress(NullableString(reader, 6)),
            Error = JsonColumns.ReadError(NullableString(reader, 7)),
            Uploads = JsonColumns.ReadUploads(NullableString(reader, 8)),
            Manifest = NullableString(reader, 9),
            Result = NullableString(reader, 10),
            Counted = reader.GetBoolean(11),
        };
        ReadLease(reader, 12, image.Lease);
        return image;
    }

    /// <summary>Reads the eight lease columns starting at <paramref name="first"/> (worker ... enqueued_at).</summary>
    private void ReadLease(DbDataReader reader, int first, StepLease lease)
    {
        lease.Worker = NullableString(reader, first);
        lease.LeaseUntil = NullableTime(reader, first + 1);
        lease.Attempts = reader.GetInt32(first + 2);
        lease.LostWorkers = reader.GetInt32(first + 3);
        lease.StartedAt = NullableTime(reader, first + 4);
        lease.FinishedAt = NullableTime(reader, first + 5);
        lease.JobId = NullableString(reader, first + 6);
        lease.EnqueuedAt = NullableTime(reader, first + 7);
    }
}
