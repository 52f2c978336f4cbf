using System.Buffers.Binary;
using System.Text;

namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// Writes an MIT <c>FILE:</c> credential cache (format version 4) that names a default principal and holds no
/// tickets. Pointed at such a cache, MIT's GSSAPI gets the principal's initial ticket from the client keytab by
/// itself, and keeps refreshing it there. That is how one process logs in as two principals: GSSAPI's default
/// credential otherwise always means the first principal of the client keytab.
/// </summary>
internal static class CredentialCacheFile
{
    private const ushort Version4 = 0x0504;
    private const uint NameTypePrincipal = 1; // KRB5_NT_PRINCIPAL

    public static void WritePrincipalOnly(string path, string principal)
    {
        var at = principal.LastIndexOf('@');
        if (at <= 0 || at == principal.Length - 1)
        {
            throw new KerberosException($"principal '{principal}' has no realm (expected name[/instance]@REALM)");
        }

        var realm = principal[(at + 1)..];
        var components = principal[..at].Split('/');
        using var buffer = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(word, Version4);
        BinaryPrimitives.WriteUInt16BigEndian(word[2..], 0); // no header tags
        buffer.Write(word);
        WriteUInt32(buffer, NameTypePrincipal);
        WriteUInt32(buffer, (uint)components.Length);
        WriteCounted(buffer, realm);
        foreach (var component in components)
        {
            WriteCounted(buffer, component);
        }

        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, value);
        stream.Write(word);
    }

    private static void WriteCounted(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteUInt32(stream, (uint)bytes.Length);
        stream.Write(bytes);
    }
}
