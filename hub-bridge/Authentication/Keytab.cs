using System.Buffers.Binary;
using System.Text;

namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// Reads MIT keytab files (format 0x0502, big-endian) far enough to list their principals and to copy their entries
/// into one merged client keytab. MIT krb5 takes initiator keys from a single process-wide client keytab
/// (<c>KRB5_CLIENT_KTNAME</c>), so a process with two identities (the builder host and the content-generator user)
/// needs one file holding both. Key material is copied byte for byte and never interpreted or logged.
/// </summary>
internal static class Keytab
{
    private const ushort Version2 = 0x0502;

    /// <summary>One entry: the principal it is for and the raw record (length prefix included).</summary>
    internal readonly record struct Entry(string Principal, ReadOnlyMemory<byte> Record);

    /// <summary>Reads every entry of a keytab file.</summary>
    /// <exception cref="KerberosException">The file is missing, unreadable or not a version 2 keytab.</exception>
    public static IReadOnlyList<Entry> Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KerberosException($"cannot read keytab {path}: {e.Message}", e);
        }

        return Parse(data, path);
    }

    internal static IReadOnlyList<Entry> Parse(byte[] data, string path)
    {
        if (data.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(data) != Version2)
        {
            throw new KerberosException($"keytab {path} is not an MIT keytab (version 0x0502)");
        }

        var entries = new List<Entry>();
        var offset = 2;
        while (offset + 4 <= data.Length)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
            if (size == 0)
            {
                break;
            }

            var length = Math.Abs((long)size);
            if (offset + 4 + length > data.Length)
            {
                throw new KerberosException($"keytab {path} is truncated at byte {offset}");
            }

            if (size > 0)
            {
                var body = data.AsSpan(offset + 4, size);
                entries.Add(new Entry(ReadPrincipal(body, path, offset), data.AsMemory(offset, 4 + size)));
            }

            // A negative size is a hole left by a deleted entry: skip it.
            offset += 4 + (int)length;
        }

        return entries;
    }

    private static string ReadPrincipal(ReadOnlySpan<byte> body, string path, int at)
    {
        try
        {
            var components = BinaryPrimitives.ReadUInt16BigEndian(body);
            var position = 2;
            var realm = ReadCounted(body, ref position);
            var names = new string[components];
            for (var i = 0; i < components; i++)
            {
                names[i] = ReadCounted(body, ref position);
            }

            return string.Join('/', names) + "@" + realm;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new KerberosException($"keytab {path} has a malformed entry at byte {at}", e);
        }
    }

    private static string ReadCounted(ReadOnlySpan<byte> body, ref int position)
    {
        var length = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
        var text = Encoding.UTF8.GetString(body.Slice(position + 2, length));
        position += 2 + length;
        return text;
    }

    /// <summary>Writes a keytab holding the given entries, atomically (temp file + rename), mode 0600.</summary>
    public static void Write(string path, IEnumerable<Entry> entries)
    {
        var temp = path + ".tmp";
        File.Delete(temp); // a stale one must not lend us its mode or owner
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            Span<byte> header = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(header, Version2);
            stream.Write(header);
            foreach (var entry in entries)
            {
                stream.Write(entry.Record.Span);
            }
        }

        File.Move(temp, path, overwrite: true);
    }
}
