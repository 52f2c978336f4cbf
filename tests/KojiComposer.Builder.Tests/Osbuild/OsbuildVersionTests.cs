using KojiComposer.Builder.Osbuild;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildVersionTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("kojicomposer-osbuild-version-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task VersionAsync_ReturnsTheNumber_WhenOsbuildPrintsItsVersion()
    {
        Assert.Equal("191", await VersionAsync(Standins.Osbuild));
    }

    [Fact]
    public async Task VersionAsync_ReturnsTheNumber_WhenTheStandInIsToldAnotherVersion()
    {
        var script = Script("osbuild-193", $"OSBUILD_STANDIN_VERSION=193 exec {Standins.Osbuild} \"$@\"");

        Assert.Equal("193", await VersionAsync(script));
    }

    [Fact]
    public async Task VersionAsync_NamesThePath_WhenTheNamedPathDoesNotExist()
    {
        var path = Path.Combine(_directory.FullName, "osbuild");

        var error = await Assert.ThrowsAsync<OsbuildUnavailableException>(() => VersionAsync(path));

        Assert.Equal($"osbuild executable {path} does not exist", error.Message);
    }

    [Fact]
    public async Task VersionAsync_NamesThePathSearched_WhenOsbuildIsNotOnPath()
    {
        var error = await Assert.ThrowsAsync<OsbuildUnavailableException>(() => VersionAsync("osbuild-not-installed-here"));

        Assert.StartsWith("osbuild executable \"osbuild-not-installed-here\" was not found on PATH (", error.Message, StringComparison.Ordinal);
        Assert.Contains(Environment.GetEnvironmentVariable("PATH")!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionAsync_SaysSo_WhenOsbuildIsNotExecutable()
    {
        var path = Script("osbuild", "echo osbuild 191");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = await Assert.ThrowsAsync<OsbuildUnavailableException>(() => VersionAsync(path));

        Assert.Equal($"osbuild executable {path} is not executable (mode 600)", error.Message);
    }

    [Fact]
    public async Task VersionAsync_QuotesTheOutput_WhenItIsNotAVersion()
    {
        var path = Script("osbuild", "echo 'usage: osbuild [-h] MANIFEST'");

        var error = await Assert.ThrowsAsync<OsbuildUnavailableException>(() => VersionAsync(path));

        Assert.Equal($"osbuild ({path}) --version printed \"usage: osbuild [-h] MANIFEST\" instead of \"osbuild <version>\"", error.Message);
    }

    [Fact]
    public async Task VersionAsync_GivesTheExitCodeAndStderr_WhenOsbuildFails()
    {
        var path = Script("osbuild", "echo 'ModuleNotFoundError: No module named jsonschema' >&2; exit 3");

        var error = await Assert.ThrowsAsync<OsbuildUnavailableException>(() => VersionAsync(path));

        Assert.Equal($"osbuild ({path}) --version exited with code 3: ModuleNotFoundError: No module named jsonschema", error.Message);
    }

    private static Task<string> VersionAsync(string osbuild) =>
        new OsbuildRunner(new BuilderSettings { Osbuild = osbuild }, NullLogger<OsbuildRunner>.Instance).VersionAsync(CancellationToken.None);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
