using System.Globalization;

namespace KojiComposer.HubBridge.XmlRpc;

// Integers the way koji's ExtendedMarshaller writes them (<int> inside int32, else <i8>; koji/xmlrpcplus.py), and
// doubles as Python's repr() (float_repr_style 'short'), which is what the transcripts show: 0.0, 1795655806.37583.
internal ref partial struct XmlRpcEncoder
{
    private void WriteInteger(long value)
    {
        bool small = value is >= int.MinValue and <= int.MaxValue;
        WriteRaw(small ? "<value><int>"u8 : "<value><i8>"u8);
        var room = Reserve(20);
        value.TryFormat(room, out int written, default, CultureInfo.InvariantCulture);
        _pos += written;
        WriteRaw(small ? "</int></value>\n"u8 : "</i8></value>\n"u8);
    }

    private void WriteDouble(double value)
    {
        WriteRaw("<value><double>"u8);
        if (!double.IsFinite(value))
        {
            WriteRaw(double.IsNaN(value) ? "nan"u8 : value > 0 ? "inf"u8 : "-inf"u8);
        }
        else
        {
            // "R" gives the shortest digits that round-trip, as Python's repr does; only the layout differs.
            Span<byte> shortest = stackalloc byte[32];
            value.TryFormat(shortest, out int length, "R", CultureInfo.InvariantCulture);
            WritePythonRepr(shortest[..length]);
        }

        WriteRaw("</double></value>\n"u8);
    }

    private void WriteSingle(float value)
    {
        // The float's own shortest digits (1.1f is written 1.1, not 1.100000023841858): what the caller meant.
        WriteRaw("<value><double>"u8);
        if (!float.IsFinite(value))
        {
            WriteRaw(float.IsNaN(value) ? "nan"u8 : value > 0 ? "inf"u8 : "-inf"u8);
        }
        else
        {
            Span<byte> shortest = stackalloc byte[32];
            value.TryFormat(shortest, out int length, "R", CultureInfo.InvariantCulture);
            WritePythonRepr(shortest[..length]);
        }

        WriteRaw("</double></value>\n"u8);
    }

    /// <summary>
    /// Re-lays .NET's round-trip form ("-1.5E-05", "1E+16", "123.45", "5") the way Python's repr does: positional
    /// for decimal exponents -4 to 15 with at least one digit after the point ("5.0"), otherwise "d.ddde±XX" with a
    /// two-digit minimum exponent ("1e-05", "1.5e+300").
    /// </summary>
    private void WritePythonRepr(scoped ReadOnlySpan<byte> dotnet)
    {
        Span<byte> digits = stackalloc byte[32];
        int count = 0;
        int integerDigits = 0;
        int exponent = 0;
        bool negative = dotnet[0] == (byte)'-';
        bool seenPoint = false;
        for (int i = negative ? 1 : 0; i < dotnet.Length; i++)
        {
            byte c = dotnet[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                digits[count++] = c;
                integerDigits += seenPoint ? 0 : 1;
            }
            else if (c == (byte)'.')
            {
                seenPoint = true;
            }
            else if (c is (byte)'E' or (byte)'e')
            {
                int.TryParse(dotnet[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent);
                break;
            }
        }

        // Normalise to digits d1d2…dn with the value 0.d1d2…dn × 10^point.
        int point = integerDigits + exponent;
        int start = 0;
        while (start < count && digits[start] == (byte)'0')
        {
            start++;
            point--;
        }

        while (count > start && digits[count - 1] == (byte)'0')
        {
            count--;
        }

        var room = Reserve(40);
        int n = 0;
        if (negative)
        {
            room[n++] = (byte)'-';
        }

        var significant = digits[start..count];
        if (significant.IsEmpty)
        {
            "0.0"u8.CopyTo(room[n..]);
            _pos += n + 3;
            return;
        }

        if (point is < -3 or > 16)
        {
            room[n++] = significant[0];
            if (significant.Length > 1)
            {
                room[n++] = (byte)'.';
                significant[1..].CopyTo(room[n..]);
                n += significant.Length - 1;
            }

            int e = point - 1;
            room[n++] = (byte)'e';
            room[n++] = e < 0 ? (byte)'-' : (byte)'+';
            e = Math.Abs(e);
            if (e < 10)
            {
                room[n++] = (byte)'0';
            }

            e.TryFormat(room[n..], out int written, default, CultureInfo.InvariantCulture);
            n += written;
        }
        else if (point <= 0)
        {
            room[n++] = (byte)'0';
            room[n++] = (byte)'.';
            room.Slice(n, -point).Fill((byte)'0');
            n += -point;
            significant.CopyTo(room[n..]);
            n += significant.Length;
        }
        else if (point >= significant.Length)
        {
            significant.CopyTo(room[n..]);
            n += significant.Length;
            room.Slice(n, point - significant.Length).Fill((byte)'0');
            n += point - significant.Length;
            room[n++] = (byte)'.';
            room[n++] = (byte)'0';
        }
        else
        {
            significant[..point].CopyTo(room[n..]);
            n += point;
            room[n++] = (byte)'.';
            significant[point..].CopyTo(room[n..]);
            n += significant.Length - point;
        }

        _pos += n;
    }
}
