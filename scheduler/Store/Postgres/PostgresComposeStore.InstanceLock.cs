using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace KojiComposer.Scheduler.Store.Postgres;

internal sealed partial class PostgresComposeStore
{
    /// <summary>A session advisory lock keyed by the schema and <paramref name="name"/>, on a connection kept open
    /// for it: released when the handle is disposed, or by the server when the process dies and its connection
    /// closes.</summary>
    public override async Task<IAsyncDisposable?> TryLockInstanceAsync(string name, CancellationToken cancellationToken)
    {
        var key = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{_schema}\n{name}")));
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Unlocks explicitly before the connection goes back to the pool (a pooled connection's session, and
    /// a session lock with it, would outlive a plain dispose).</summary>
    private sealed class AdvisoryLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = key } } };
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone: so is its session, and the lock.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
