using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

// Scalar conversions. They follow what Python's xmlrpc.client accepts where that is sane (surrounding whitespace,
// a leading sign, inf/nan) and name the value when it is not a number of the declared type.
internal ref partial struct XmlRpcParser
{
    // Boxed small integers are shared: ids, counts, states and codes are nearly always small.
    private const int SmallIntMin = -128;
    private const int SmallIntMax = 1023;
    private static readonly object[] SmallInts = CreateSmallInts();

    private static readonly SearchValues<byte> Base64Whitespace = SearchValues.Create(" \t\r\n"u8);

    private static readonly string[] DateFormats =
    [
        "yyyyMMdd'T'HH:mm:ss", "yyyyMMdd'T'HH:mm:ssK", "yyyyMMdd'T'HH:mm:ss.FFFFFFF", "yyyyMMdd'T'HH:mm:ss.FFFFFFFK",
        "yyyyMMdd'T'HHmmss", "yyyyMMdd'T'HHmmssK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static object[] CreateSmallInts()
    {
        var boxes = new object[SmallIntMax - SmallIntMin + 1];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i + SmallIntMin;
        }

        return boxes;
    }

    private static object Box(int value) =>
        value is >= SmallIntMin and <= SmallIntMax ? SmallInts[value - SmallIntMin] : value;

    private ReadOnlySpan<byte> ReadScalar(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        if (empty)
        {
            throw Error($"empty <{NameText(type)}>", offset);
        }

        var text = ReadScalarText(type);
        ExpectEndTag(type);
        return text.Trim(" \t\r\n"u8);
    }

    // <int>/<i4> are 32-bit, but Python (and Go's int) happily write bigger numbers in <int>; such a value is
    // returned as a long rather than refused, as xmlrpc.client would return a Python int.
    private object ParseInt(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        var text = ReadScalar(type, empty, offset);
        if (!TryParseInteger(text, out long value))
        {
            throw InvalidScalar(type, text, offset);
        }

        return value is >= int.MinValue and <= int.MaxValue ? Box((int)value) : value;
    }

    private object ParseI8(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        var text = ReadScalar(type, empty, offset);
        return TryParseInteger(text, out long value) ? value : throw InvalidScalar(type, text, offset);
    }

    private static bool TryParseInteger(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (!text.IsEmpty && text[0] is (byte)'-' or (byte)'+')
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        if (i == text.Length)
        {
            return false;
        }

        if (text.Length - i > 18)
        {
            // Long enough to overflow: let the framework do the exact range check.
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        long result = 0;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        value = negative ? -result : result;
        return true;
    }

    private object ParseBoolean(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        var text = ReadScalar(type, empty, offset);
        if (text.Length == 1 && text[0] is (byte)'0' or (byte)'1')
        {
            return text[0] == (byte)'1' ? True : False;
        }

        // Not what the spec says, but some XML-RPC libraries write words.
        if (Ascii.EqualsIgnoreCase(text, "true"u8))
        {
            return True;
        }

        return Ascii.EqualsIgnoreCase(text, "false"u8) ? False : throw InvalidScalar(type, text, offset);
    }

    private object ParseDouble(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        var text = ReadScalar(type, empty, offset);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }

        // Python's repr spellings, which its dumps writes for non-finite values.
        var unsigned = text.TrimStart("+-"u8);
        if (text.Length - unsigned.Length <= 1)
        {
            if (Ascii.EqualsIgnoreCase(unsigned, "inf"u8) || Ascii.EqualsIgnoreCase(unsigned, "infinity"u8))
            {
                return text[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
            }

            if (Ascii.EqualsIgnoreCase(unsigned, "nan"u8))
            {
                return double.NaN;
            }
        }

        throw InvalidScalar(type, text, offset);
    }

    private object ParseDateTime(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        var text = ReadScalar(type, empty, offset);
        string value = Encoding.UTF8.GetString(text);
        return DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var result)
            ? result
            : throw InvalidScalar(type, text, offset);
    }

    private byte[] ParseBase64(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        if (empty)
        {
            return [];
        }

        var text = ReadScalarText(type);
        ExpectEndTag(type);
        byte[]? rented = null;
        try
        {
            // base64.encodebytes breaks lines every 76 characters; decoding wants them gone.
            if (text.IndexOfAny(Base64Whitespace) >= 0)
            {
                rented = ArrayPool<byte>.Shared.Rent(text.Length);
                int n = 0;
                foreach (byte b in text)
                {
                    if (!Base64Whitespace.Contains(b))
                    {
                        rented[n++] = b;
                    }
                }

                text = rented.AsSpan(0, n);
            }

            if (text.Length % 4 != 0)
            {
                throw Error("invalid <base64> data (length is not a multiple of 4)", offset);
            }

            int padding = text.IsEmpty ? 0 : text[^1] != (byte)'=' ? 0 : text[^2] == (byte)'=' ? 2 : 1;
            var bytes = new byte[(text.Length / 4 * 3) - padding];
            var status = Base64.DecodeFromUtf8(text, bytes, out int consumed, out int written);
            if (status != OperationStatus.Done || consumed != text.Length || written != bytes.Length)
            {
                throw Error("invalid <base64> data", offset);
            }

            return bytes;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private readonly XmlRpcFormatException InvalidScalar(ReadOnlySpan<byte> type, ReadOnlySpan<byte> text, int offset)
    {
        var shown = text.Length > 40 ? text[..40] : text;
        while (!shown.IsEmpty && !System.Text.Unicode.Utf8.IsValid(shown))
        {
            shown = shown[..^1];
        }

        return Error($"invalid <{NameText(type)}> value \"{Encoding.UTF8.GetString(shown)}{(shown.Length < text.Length ? "…" : string.Empty)}\"", offset);
    }
}
