using System.Data.Common;
using KojiComposer.Contracts.Queues;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>Read-only queries: lists, counts and the reconciler's candidates.</summary>
internal abstract partial class RelationalComposeStore
{
    /// <inheritdoc />
    public async Task<ComposePage> ListAsync(ComposeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, 1000, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));

        // Only the filters that are set become conditions, so that no parameter is a typeless NULL.
        var conditions = new List<string>();
        if (query.State is not null)
        {
            conditions.Add("state = @state");
        }

        if (!string.IsNullOrEmpty(query.Nvr))
        {
            conditions.Add($"{PositionFunction}(nvr_lower, @nvr) > 0");
        }

        if (query.KojiTaskId is not null)
        {
            conditions.Add("koji_task_id = @task");
        }

        if (query.CreatedAfter is not null)
        {
            conditions.Add("created_at >= @after");
        }

        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        void Bind(DbCommand command)
        {
            if (query.State is { } state)
            {
                Add(command, "state", state.ToWire());
            }

            if (!string.IsNullOrEmpty(query.Nvr))
            {
                Add(command, "nvr", query.Nvr.ToLowerInvariant());
            }

            if (query.KojiTaskId is { } task)
            {
                Add(command, "task", task);
            }

            if (query.CreatedAfter is { } after)
            {
                Add(command, "after", after);
            }

            Add(command, "limit", query.Limit);
            Add(command, "offset", query.Offset);
        }

        var page = $"SELECT id, created_at FROM {ComposeTable}{where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset";
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        var rows = new List<ComposeRow>();
        var byId = new Dictionary<Guid, ComposeRow>();
        await using (var command = Command(transaction, $"SELECT {ComposeColumns} FROM {ComposeTable} WHERE id IN (SELECT id FROM ({page}) p) ORDER BY created_at DESC, id DESC"))
        {
            Bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = ReadCompose(reader);
                rows.Add(row);
                byId[row.Id] = row;
            }
        }

        if (rows.Count > 0)
        {
            await using var command = Command(transaction, $"SELECT {ImageColumns} FROM {ImageTable} WHERE compose_id IN (SELECT id FROM ({page}) p) ORDER BY compose_id, idx");
            Bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (byId.TryGetValue(reader.GetGuid(0), out var row))
                {
                    row.Images.Add(ReadImage(reader));
                }
            }
        }

        int total;
        await using (var command = Command(transaction, $"SELECT COUNT(*) FROM {ComposeTable}{where}"))
        {
            Bind(command);
            total = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ComposePage(rows.ConvertAll(r => r.ToModel()), total);
    }

    /// <inheritdoc />
    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        var composes = Enum.GetValues<ComposeState>().ToDictionary(s => s, _ => 0);
        var images = new Dictionary<(ImageState State, string Arch), int>();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        await using (var command = Command(transaction, $"SELECT state, COUNT(*) FROM {ComposeTable} GROUP BY state"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                composes[Enum.Parse<ComposeState>(reader.GetString(0), ignoreCase: true)] = (int)reader.GetInt64(1);
            }
        }

        await using (var command = Command(transaction, $"SELECT state, arch, COUNT(*) FROM {ImageTable} GROUP BY state, arch"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                images[(Enum.Parse<ImageState>(reader.GetString(0), ignoreCase: true), reader.GetString(1))] = (int)reader.GetInt64(2);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCounts(composes, images);
    }

    /// <inheritdoc />
    public async Task<int> ExpireAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        var expired = 0;
        foreach (var sql in new[]
        {
            $"UPDATE {ImageTable} SET lease_until = @now WHERE state IN ('building', 'uploading') AND lease_until > @now",
            $"UPDATE {ComposeTable} SET init_lease_until = @now, row_version = row_version + 1 WHERE init_state = 'running' AND init_lease_until > @now",
            $"UPDATE {ComposeTable} SET finalize_lease_until = @now, row_version = row_version + 1 WHERE finalize_state = 'running' AND finalize_lease_until > @now",
        })
        {
            await using var command = Command(transaction, sql);
            Add(command, "now", now);
            expired += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return expired;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrphanCandidate>> FindOrphanCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // kind: 0 init, 1 image, 2 finalize (StepKind); reason: 0 ready-not-running, 1 lease expired (OrphanReason).
        // "No job enqueued since it expired": the last enqueue (if any) is older than the lease's end.
        const string Live = "c.state IN ('pending', 'running', 'finalizing')";
        var sql = $"""
            SELECT c.id, 0 AS kind, -1 AS idx, '' AS arch, 0 AS reason, c.init_job_id AS job_id, c.created_at AS created
                FROM {ComposeTable} c WHERE {Live} AND c.init_state = 'pending'
            UNION ALL
            SELECT c.id, 1, i.idx, i.arch, 0, i.job_id, c.created_at
                FROM {ComposeTable} c JOIN {ImageTable} i ON i.compose_id = c.id
                WHERE {Live} AND c.init_state = 'success' AND i.state = 'pending'
            UNION ALL
            SELECT c.id, 2, -1, '', 0, c.finalize_job_id, c.created_at
                FROM {ComposeTable} c WHERE {Live} AND c.finalize_claimed AND c.finalize_state = 'pending'
            UNION ALL
            SELECT c.id, 0, -1, '', 1, c.init_job_id, c.created_at
                FROM {ComposeTable} c
                WHERE {Live} AND c.init_state = 'running' AND c.init_lease_until < @now
                    AND (c.init_enqueued_at IS NULL OR c.init_enqueued_at < c.init_lease_until)
            UNION ALL
            SELECT c.id, 1, i.idx, i.arch, 1, i.job_id, c.created_at
                FROM {ComposeTable} c JOIN {ImageTable} i ON i.compose_id = c.id
                WHERE {Live} AND i.state IN ('building', 'uploading') AND i.lease_until < @now
                    AND (i.enqueued_at IS NULL OR i.enqueued_at < i.lease_until)
            UNION ALL
            SELECT c.id, 2, -1, '', 1, c.finalize_job_id, c.created_at
                FROM {ComposeTable} c
                WHERE {Live} AND c.finalize_state = 'running' AND c.finalize_lease_until < @now
                    AND (c.finalize_enqueued_at IS NULL OR c.finalize_enqueued_at < c.finalize_lease_until)
            ORDER BY created, id, kind, idx
            LIMIT @limit
            """;
        var candidates = new List<OrphanCandidate>();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        await using (var command = Command(transaction, sql))
        {
            Add(command, "now", now);
            Add(command, "limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                var kind = (StepKind)reader.GetInt32(1);
                var step = kind switch
                {
                    StepKind.Init => StepRef.Init(id),
                    StepKind.Image => StepRef.Image(id, reader.GetInt32(2)),
                    _ => StepRef.Finalize(id),
                };
                var queue = kind switch
                {
                    StepKind.Init => QueueNames.Init,
                    StepKind.Image => QueueNames.Build(reader.GetString(3)),
                    _ => QueueNames.Finalize,
                };
                candidates.Add(new OrphanCandidate(step, (OrphanReason)reader.GetInt32(4), NullableString(reader, 5), queue));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return candidates;
    }
}
