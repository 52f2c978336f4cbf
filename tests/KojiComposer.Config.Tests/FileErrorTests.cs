namespace KojiComposer.Config.Tests;

public sealed class FileErrorTests
{
    [Fact]
    public void Load_NamesFileAndReason_WhenFileIsMissing()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "kojicomposer.toml");

        var exception = Assert.Throws<ConfigurationException>(() => KojiComposerConfiguration.Load(path));

        Assert.Equal($"{path}: cannot read config file: No such file or directory", exception.Message);
        Assert.Equal(new ConfigurationError(path, null, "", "cannot read config file: No such file or directory"), Assert.Single(exception.Errors));
    }

    [Fact]
    public void Load_NamesFileAndReason_WhenDirectoryIsMissing()
    {
        var path = "/nonexistent-kojicomposer-dir/kojicomposer.toml";

        var exception = Assert.Throws<ConfigurationException>(() => KojiComposerConfiguration.Load(path));

        Assert.Equal($"{path}: cannot read config file: No such file or directory", exception.Message);
    }

    [Fact]
    public void Load_SaysIsADirectory_WhenPathIsADirectory()
    {
        using var dir = new TempDirectory();

        var exception = Assert.Throws<ConfigurationException>(() => KojiComposerConfiguration.Load(dir.Path));

        Assert.Equal($"{dir.Path}: cannot read config file: Is a directory", exception.Message);
    }

    [Fact]
    public void Load_NamesFileKeyAndProblem_WhenUrlIsRelative()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("kojicomposer.toml", "[hub]\nurl = \"koji.example.com\"\n" + ConfigAssert.Identities);

        var exception = Assert.Throws<ConfigurationException>(() => KojiComposerConfiguration.Load(path));

        Assert.Equal($"{path}:2: hub.url: must be an absolute http or https URL, got \"koji.example.com\"", exception.Message);
    }
}
