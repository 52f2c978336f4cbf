using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Koji.Intake;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

/// <summary>Our attachments read like koji-osbuild's, which Python writes with <c>json.dump(indent=4,
/// sort_keys=True)</c>. The expected texts are what Python 3 prints for these values.</summary>
public sealed class PythonJsonTests
{
    [Fact]
    public void Serialize_WritesEmptyContainersOnOneLine()
    {
        Assert.Equal("{}", PythonJson.Serialize(new JsonObject()));
        Assert.Equal("[]", PythonJson.Serialize(new JsonArray()));
        Assert.Equal("null", PythonJson.Serialize(null));
        Assert.Equal("{\n    \"a\": {},\n    \"b\": []\n}", PythonJson.Serialize(JsonNode.Parse("""{"b":[],"a":{}}""")));
    }

    [Fact]
    public void Serialize_IndentsByFourAndSortsKeys_AtEveryLevel()
    {
        var value = JsonNode.Parse("""{"b": [1, 2.5, true, null, "x"], "a": {}, "c": {"z": [], "y": {"k": "v"}}}""");

        Assert.Equal(
            """
            {
                "a": {},
                "b": [
                    1,
                    2.5,
                    true,
                    null,
                    "x"
                ],
                "c": {
                    "y": {
                        "k": "v"
                    },
                    "z": []
                }
            }
            """.ReplaceLineEndings("\n"),
            PythonJson.Serialize(value));
    }

    [Fact]
    public void Serialize_NestsArraysOfObjects()
    {
        var value = new JsonArray(new JsonObject { ["n"] = 1 }, new JsonArray(new JsonArray()));

        Assert.Equal("[\n    {\n        \"n\": 1\n    },\n    [\n        []\n    ]\n]", PythonJson.Serialize(value));
    }

    [Theory]
    [InlineData("plain /path", "\"plain /path\"")]
    [InlineData("caf\u00e9 \u20ac", "\"caf\\u00e9 \\u20ac\"")]
    [InlineData("\U0001F600", "\"\\ud83d\\ude00\"")]
    [InlineData("q\"b\\s", "\"q\\\"b\\\\s\"")]
    [InlineData("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"")]
    [InlineData("\u0001\u001f\u007f", "\"\\u0001\\u001f\\u007f\"")]
    [InlineData("<&'>", "\"<&'>\"")]
    public void Serialize_EscapesLikeEnsureAscii(string text, string expected)
    {
        Assert.Equal(expected, PythonJson.Serialize(JsonValue.Create(text)));
    }

    [Fact]
    public void Serialize_SortsKeysByCodePoint_NotByUtf16Unit()
    {
        // U+FF21 sorts before U+1F600 in Python; UTF-16 order would put the surrogate pair (0xD83D) first.
        var value = new JsonObject { ["\U0001F600"] = 1, ["\uFF21"] = 2, ["a"] = 3, ["B"] = 4, ["\u00e9"] = 5 };

        Assert.Equal(
            "{\n    \"B\": 4,\n    \"a\": 3,\n    \"\\u00e9\": 5,\n    \"\\uff21\": 2,\n    \"\\ud83d\\ude00\": 1\n}",
            PythonJson.Serialize(value));
    }

    [Fact]
    public void Serialize_SortsALoneSurrogateByItsOwnCodePoint()
    {
        // Python: sorted(["\ue000", "\U0001F600", "\ud800"]) == ["\ud800", "\ue000", "\U0001F600"]; a lone surrogate
        // is the code point U+D800, below U+E000, while a pair is an astral character above it.
        var value = new JsonObject { ["\uE000"] = 2, ["\U0001F600"] = 3, ["\uD800"] = 1 };

        Assert.Equal(
            "{\n    \"\\ud800\": 1,\n    \"\\ue000\": 2,\n    \"\\ud83d\\ude00\": 3\n}",
            PythonJson.Serialize(value));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Serialize_WritesDoublesAsPythonFloats(double value, string expected)
    {
        Assert.Equal(expected, PythonJson.Serialize(JsonValue.Create(value)));
    }

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("1E2", "100.0")]
    [InlineData("2.50", "2.5")]
    [InlineData("10", "10")]
    [InlineData("-0", "0")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    public void Serialize_KeepsParsedIntegersIntegers_AndParsedFractionsFloats(string literal, string expected)
    {
        Assert.Equal($"[\n    {expected}\n]", PythonJson.Serialize(JsonNode.Parse($"[{literal}]")));
    }

    [Fact]
    public void Serialize_WritesClrIntegersWithoutAFraction()
    {
        var value = new JsonObject { ["int"] = 3, ["long"] = 20201015123L, ["bool"] = false };

        Assert.Equal("{\n    \"bool\": false,\n    \"int\": 3,\n    \"long\": 20201015123\n}", PythonJson.Serialize(value));
    }
}
