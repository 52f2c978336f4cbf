using System.Globalization;
using System.Text;
using Tomlyn.Syntax;

namespace KojiComposer.Config.Binding;

/// <summary>How keys and values appear in error messages: as the user would write them, always on one line.</summary>
internal static class ConfigText
{
    /// <summary>A string value in double quotes, with quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary>A float as TOML writes it (<c>inf</c>, <c>nan</c>, <c>2.5</c>), integers without a fraction.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double.NaN => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A key part, quoted only when TOML would need quotes for it.</summary>
    public static string Key(string name) => BareKeySyntax.IsBareKey(name) ? name : Quote(name);

    /// <summary>A size in bytes with its binary unit when it has an exact one: <c>65536 (64 KiB)</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = bytes;
        var unit = -1;
        while (value >= 1024 && value % 1024 == 0 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var exact = bytes.ToString(CultureInfo.InvariantCulture);
        return unit < 0 ? exact : $"{exact} ({value.ToString(CultureInfo.InvariantCulture)} {units[unit]})";
    }
}
