using System.Security.Cryptography;
using System.Text;

namespace KojiComposer.Scheduler.Store.Sqlite;

internal sealed partial class SqliteComposeStore
{
    /// <summary>An exclusive lock (flock, through FileShare.None) on <c>&lt;database&gt;.lock-&lt;hash of name&gt;</c>:
    /// released by the kernel when the process dies, however it dies.</summary>
    public override Task<IAsyncDisposable?> TryLockInstanceAsync(string name, CancellationToken cancellationToken)
    {
        var suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
        var path = $"{_path}.lock-{suffix}";
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return Task.FromResult<IAsyncDisposable?>(file);
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null);
        }
    }
}
