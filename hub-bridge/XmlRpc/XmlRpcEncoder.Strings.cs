using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Unicode;

namespace KojiComposer.HubBridge.XmlRpc;

// Strings, base64 and dates. Python's xmlrpc escapes only & < > (xmlrpc.client.escape); characters XML 1.0 cannot
// carry at all are rejected here instead of producing a document the hub's expat parser refuses (koji-wire.md §2.1).
internal ref partial struct XmlRpcEncoder
{
    // Largest UTF-8 expansion of one UTF-16 code unit.
    private const int MaxUtf8BytesPerChar = 3;

    // base64.encodebytes: 76 characters (57 input bytes) per line, each line ended by a newline.
    private const int Base64LineBytes = 57;

    private static readonly SearchValues<char> SpecialChars = SearchValues.Create(
        "&<>\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    private void WriteString(string value)
    {
        WriteRaw("<value><string>"u8);
        WriteEscaped(value);
        WriteRaw("</string></value>\n"u8);
    }

    private void WriteEscaped(scoped ReadOnlySpan<char> text)
    {
        while (true)
        {
            int special = text.IndexOfAny(SpecialChars);
            WriteUtf8(special < 0 ? text : text[..special]);
            if (special < 0)
            {
                return;
            }

            switch (text[special])
            {
                case '&':
                    WriteRaw("&amp;"u8);
                    break;
                case '<':
                    WriteRaw("&lt;"u8);
                    break;
                case '>':
                    WriteRaw("&gt;"u8);
                    break;
                default:
                    throw Error(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The string holds U+{(int)text[special]:X4}, which XML 1.0 cannot carry"));
            }

            text = text[(special + 1)..];
        }
    }

    private void WriteUtf8(scoped ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            // Ask for room for the whole rest when it is small, else for a chunk; FromUtf16 stops at the end of the
            // room without splitting a surrogate pair and we go round again.
            var room = Reserve(Math.Min(text.Length, MinimumChunk) * MaxUtf8BytesPerChar);
            var status = Utf8.FromUtf16(text, room, out int read, out int written, replaceInvalidSequences: false);
            _pos += written;
            text = text[read..];
            if (status == OperationStatus.InvalidData)
            {
                throw Error(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The string holds a lone surrogate U+{(int)text[0]:X4}, which UTF-8 cannot encode"));
            }
        }
    }

    private void WriteBase64(scoped ReadOnlySpan<byte> bytes)
    {
        WriteRaw("<value><base64>\n"u8);
        while (!bytes.IsEmpty)
        {
            var line = bytes[..Math.Min(bytes.Length, Base64LineBytes)];
            var room = Reserve(Base64.GetMaxEncodedToUtf8Length(line.Length) + 1);
            Base64.EncodeToUtf8(line, room, out _, out int written);
            room[written] = (byte)'\n';
            _pos += written + 1;
            bytes = bytes[line.Length..];
        }

        WriteRaw("</base64></value>\n"u8);
    }

    // xmlrpc.client writes naive datetimes as %Y%m%dT%H:%M:%S (no fraction, no zone). The hub runs on UTC, so a
    // local time is converted first rather than sent as a wall clock the hub would misread.
    private void WriteDateTime(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }

        WriteRaw("<value><dateTime.iso8601>"u8);
        var room = Reserve(17);
        value.TryFormat(room, out int written, "yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        _pos += written;
        WriteRaw("</dateTime.iso8601></value>\n"u8);
    }
}
