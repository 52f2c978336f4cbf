namespace KojiComposer.Cli.Tests.Watch;

/// <summary>What <c>watch</c> refuses before it reads anything.</summary>
public sealed class WatchArgumentTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("fedora")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("12.5")]
    [InlineData("6f1c3e0a-8d3b-4a36-9d8e")]
    public async Task AnArgumentThatIsNeitherTaskNorCompose_Exits2_NamingIt(string argument)
    {
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"));

        var run = await _cli.RunAsync("watch", "--", argument);

        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal($"kojicomposer watch: error: \"{argument}\" is neither a Koji task id (a positive integer, e.g. 12345) nor a compose id (a UUID, e.g. 6f1c3e0a-8d3b-4a36-9d8e-2f1b5c7a9e10)\n", run.Error);
    }

    [Fact]
    public async Task NoArgument_IsAUsageError()
    {
        var run = await _cli.RunAsync("watch");

        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.StartsWith("kojicomposer watch: error: Required argument missing for command: 'watch'.\n", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AComposeId_WithoutAService_Exits3_SayingToSetServiceOrPassServer()
    {
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"));

        var run = await _cli.RunAsync("watch", "6f1c3e0a-8d3b-4a36-9d8e-2f1b5c7a9e10");

        Assert.Equal(ExitCodes.Configuration, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal("kojicomposer watch: error: compose 6f1c3e0a-8d3b-4a36-9d8e-2f1b5c7a9e10 can only be followed through the KojiComposer service, and profile [koji] names none: set service = \"https://kojicomposer.example.com\" in it, or pass --server URL\n", run.Error);
    }

    [Fact]
    public async Task ATask_WithNeitherHubNorService_Exits3()
    {
        _cli.WriteUserConfig("[koji]\nweburl = \"https://koji.example.com/koji\"\n");

        var run = await _cli.RunAsync("watch", "12");

        Assert.Equal(ExitCodes.Configuration, run.Code);
        Assert.Contains("koji.server: no Koji hub: set server = ", run.Error, StringComparison.Ordinal);
    }
}
