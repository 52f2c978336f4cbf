namespace KojiComposer.Config.Tests;

public sealed class SyntaxErrorTests
{
    [Fact]
    public void Parse_ReportsTomlynDiagnosticWithLineAndColumn_WhenStringIsUnterminated()
    {
        var lines = ConfigAssert.Fails("""
            [hub]
            url = "https://koji.example.com/kojihub
            """);

        Assert.Equal(
            $"{ConfigAssert.File}:2: invalid TOML at column 39: Invalid End-Of-File found on string literal",
            lines[^1]);
    }

    [Fact]
    public void Parse_ReportsTomlynDiagnostic_WhenTableHeaderIsUnclosed()
    {
        var lines = ConfigAssert.Fails("[hub\nurl = \"https://koji.example.com/kojihub\"\n");

        Assert.Equal(
            $"{ConfigAssert.File}:1: invalid TOML at column 5: Unexpected token found `␤` (token: `newline`) while expecting `]` (token: `closebracket`)",
            lines[0]);
    }

    [Fact]
    public void Parse_ReportsDuplicateKey_WithBothLines()
    {
        var line = ConfigAssert.FailsOnce("""
            [hub]
            url = "https://a.example.com/kojihub"
            url = "https://b.example.com/kojihub"
            """);

        Assert.Equal(
            $"{ConfigAssert.File}:3: invalid TOML at column 1: The key `hub.url` is already defined at (2,1) with `url = \"https://a.example.com/kojihub\"` and cannot be redefined",
            line);
    }

    [Fact]
    public void Parse_ReportsSyntaxErrorsAlone_WithoutSchemaFollowOnErrors()
    {
        // hub.url is missing too, but a broken document is not validated: the syntax error is the whole story.
        var line = ConfigAssert.FailsOnce("[hub]\ntimeout_seconds = 99999999999999999999\n");

        Assert.Equal($"{ConfigAssert.File}:2: invalid TOML at column 19: Unable to parse integer `99999999999999999999`", line);
    }
}
