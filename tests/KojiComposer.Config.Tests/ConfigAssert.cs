namespace KojiComposer.Config.Tests;

internal static class ConfigAssert
{
    public const string File = "/etc/kojicomposer/kojicomposer.toml";

    /// <summary>Two distinct principals, so tests about something else do not trip the identity checks.</summary>
    public const string Identities = """
        [hub.host]
        principal = "compile/builder1.example.com@EXAMPLE.COM"
        [hub.content_generator]
        principal = "osbuild-cg@EXAMPLE.COM"
        """;

    /// <summary>A valid <c>[hub]</c> with both identities, for tests of other sections: put it after the lines under
    /// test so that their line numbers start at 1.</summary>
    public const string HubSection = """

        [hub]
        url = "https://koji.example.com/kojihub"
        [hub.host]
        principal = "compile/builder1.example.com@EXAMPLE.COM"
        [hub.content_generator]
        principal = "osbuild-cg@EXAMPLE.COM"
        """;

    /// <summary>Parses <paramref name="toml"/> as <see cref="File"/>, expecting success.</summary>
    public static KojiComposerOptions Parses(string toml) => KojiComposerConfiguration.Parse(toml, File);

    /// <summary>Parses <paramref name="toml"/> as <see cref="File"/>, expecting it to fail, and returns the
    /// exception's message lines.</summary>
    public static string[] Fails(string toml)
    {
        var exception = Assert.Throws<ConfigurationException>(() => KojiComposerConfiguration.Parse(toml, File));
        var lines = exception.Message.Split('\n');
        Assert.Equal(exception.Errors.Select(e => e.ToString()), lines);
        return lines;
    }

    /// <summary>Expects exactly one problem and returns its line.</summary>
    public static string FailsOnce(string toml) => Assert.Single(Fails(toml));
}
