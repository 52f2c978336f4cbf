using System.Text;

namespace KojiComposer.Contracts.Queues;

/// <summary>
/// Hangfire queue names shared by every process of a deployment. Hangfire accepts only lower-case letters, digits,
/// '_' and '-' in a queue name.
/// </summary>
public static class QueueNames
{
    /// <summary>Build reservations (the compose's first step).</summary>
    public const string Init = "compose-init";

    /// <summary>Imports and refunds (the compose's last step), on a queue of its own so that it never waits behind
    /// an image backlog (hangfire-dispatch.md).</summary>
    public const string Finalize = "compose-finalize";

    /// <summary>The queue of image builds for <paramref name="arch"/>, e.g. <c>build-x86_64</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="arch"/> is empty or has a character a queue name cannot
    /// hold.</exception>
    public static string Build(string arch)
    {
        ArgumentException.ThrowIfNullOrEmpty(arch);
        var name = new StringBuilder("build-", 6 + arch.Length);
        foreach (var c in arch)
        {
            var lower = char.ToLowerInvariant(c);
            if (lower is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            {
                throw new ArgumentException($"architecture \"{arch}\" cannot name a queue: '{c}' is not a letter, digit, '_' or '-'", nameof(arch));
            }

            name.Append(lower);
        }

        return name.ToString();
    }
}
