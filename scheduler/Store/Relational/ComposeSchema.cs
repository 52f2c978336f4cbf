namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>
/// The compose tables, one migration per schema version, written once for both stores: <c>{prefix}</c> is the
/// quoted schema with its dot (PostgreSQL) or nothing (SQLite), and the type placeholders map to each database's
/// types (<see cref="Render"/>). A released migration never changes; a new version is appended.
/// </summary>
internal static class ComposeSchema
{
    /// <summary>The migrations, version 1 first.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE {prefix}compose (
            id {uuid} PRIMARY KEY,
            name text NOT NULL,
            version text NOT NULL,
            release text NOT NULL,
            nvr_lower text NOT NULL,
            distribution text NOT NULL,
            koji_task_id {int64},
            koji_server text,
            customizations {json},
            request {json},
            seed {int64} NOT NULL,
            submitted_by text,
            state text NOT NULL CHECK (state IN ('pending', 'running', 'finalizing', 'success', 'failure', 'canceled')),
            cancel_requested {bool} NOT NULL,
            generation {int32} NOT NULL,
            remaining {int32} NOT NULL CHECK (remaining >= 0),
            finalize_claimed {bool} NOT NULL,
            row_version {int64} NOT NULL,
            init_state text NOT NULL CHECK (init_state IN ('pending', 'running', 'success', 'failure', 'canceled')),
            init_error {json},
            reservation_build_id {int64},
            reservation_token text,
            init_worker text,
            init_lease_until {time},
            init_attempts {int32} NOT NULL,
            init_lost_workers {int32} NOT NULL,
            init_started_at {time},
            init_finished_at {time},
            init_job_id text,
            init_enqueued_at {time},
            finalize_state text NOT NULL CHECK (finalize_state IN ('pending', 'running', 'success', 'failure', 'canceled')),
            finalize_error {json},
            finalize_result text,
            finalize_worker text,
            finalize_lease_until {time},
            finalize_attempts {int32} NOT NULL,
            finalize_lost_workers {int32} NOT NULL,
            finalize_started_at {time},
            finalize_finished_at {time},
            finalize_job_id text,
            finalize_enqueued_at {time},
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL,
            finished_at {time}
        );
        CREATE UNIQUE INDEX compose_koji_task_id ON {prefix}compose (koji_task_id);
        CREATE INDEX compose_created_at ON {prefix}compose (created_at, id);
        CREATE INDEX compose_state ON {prefix}compose (state);
        CREATE TABLE {prefix}compose_image (
            compose_id {uuid} NOT NULL REFERENCES {prefix}compose (id) ON DELETE CASCADE,
            idx {int32} NOT NULL,
            arch text NOT NULL,
            image_type text NOT NULL,
            image_request {json} NOT NULL,
            state text NOT NULL CHECK (state IN ('pending', 'building', 'uploading', 'success', 'failure', 'canceled')),
            progress {json},
            error {json},
            uploads {json} NOT NULL,
            manifest text,
            result text,
            counted {bool} NOT NULL,
            worker text,
            lease_until {time},
            attempts {int32} NOT NULL,
            lost_workers {int32} NOT NULL,
            started_at {time},
            finished_at {time},
            job_id text,
            enqueued_at {time},
            PRIMARY KEY (compose_id, idx)
        );
        CREATE INDEX compose_image_state ON {prefix}compose_image (state);
        """,
        // 2: the Koji task records of the hub bridge, whether a compose's release was generated, and the NVR
        // lookup the content-generator steps make. The new column has a default, so the composes of version 1
        // read back as composes with a release of their own.
        """
        ALTER TABLE {prefix}compose ADD COLUMN release_generated {bool} NOT NULL DEFAULT FALSE;
        CREATE INDEX compose_nvr ON {prefix}compose (name, version, release);
        CREATE TABLE {prefix}koji_task (
            task_id {int64} PRIMARY KEY,
            method text NOT NULL,
            stage text NOT NULL CHECK (stage IN ('received', 'open', 'composing', 'finishing', 'closed', 'failed', 'canceled', 'released')),
            request {json},
            compose_id {uuid},
            data {json},
            fault_code {int32},
            fault_string text,
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL,
            finished_at {time}
        );
        CREATE INDEX koji_task_unfinished ON {prefix}koji_task (created_at, task_id) WHERE stage IN ('received', 'open', 'composing', 'finishing');
        """,
    ];

    /// <summary>A migration with its placeholders replaced.</summary>
    public static string Render(string migration, string prefix, IReadOnlyDictionary<string, string> types)
    {
        var sql = migration.Replace("{prefix}", prefix, StringComparison.Ordinal);
        foreach (var (placeholder, type) in types)
        {
            sql = sql.Replace("{" + placeholder + "}", type, StringComparison.Ordinal);
        }

        return sql;
    }
}
