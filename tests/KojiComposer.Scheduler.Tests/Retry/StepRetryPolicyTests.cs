using System.Net.Sockets;
using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Retry;

public sealed class StepRetryPolicyTests
{
    private static readonly EngineSettings Settings = new()
    {
        TransientRetries = 3,
        RetryInitialDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromSeconds(60),
    };

    private readonly StepRetryPolicy _policy = new(Settings);

    public static TheoryData<Exception> TransientErrors => new()
    {
        new ComposeStepException(new JobError(JobErrorCodes.UploadingImage, "hub busy"), isTransient: true),
        new HttpRequestException("connection refused"),
        new SocketException((int)SocketError.ConnectionReset),
        new TimeoutException("no answer"),
        new Microsoft.Data.Sqlite.SqliteException("database is locked", 5),
    };

    [Theory]
    [MemberData(nameof(TransientErrors))]
    public void Decide_Retries_WhenTheErrorIsTransientAndRetriesRemain(Exception error)
    {
        var decision = _policy.Decide(StepKind.Image, error, 0);

        Assert.True(decision.Retry);
        Assert.InRange(decision.Delay, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
    }

    [Fact]
    public void Decide_BacksOffExponentially_UpToTheMaximum()
    {
        Assert.InRange(_policy.Decide(StepKind.Image, new TimeoutException(), 1).Delay, TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(24));
        Assert.InRange(_policy.Decide(StepKind.Image, new TimeoutException(), 2).Delay, TimeSpan.FromSeconds(32), TimeSpan.FromSeconds(48));
        Assert.InRange(new StepRetryPolicy(Settings with { TransientRetries = 10 }).Decide(StepKind.Image, new TimeoutException(), 8).Delay, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));
    }

    [Fact]
    public void Decide_FailsWithTheStepsCode_WhenTransientRetriesAreExhausted()
    {
        var decision = _policy.Decide(StepKind.Init, new KojiTransportException("koji hub https://koji.example.com/kojihub: connection refused"), 3);

        Assert.False(decision.Retry);
        Assert.Equal(JobErrorCodes.KojiInit, decision.Error!.Id);
        Assert.Contains("gave up after 4 tries", decision.Error.Details!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FailsAtOnce_WithTheCodeOfAPermanentStepError()
    {
        var error = new JobError(JobErrorCodes.ManifestGeneration, "unknown image type foo");

        var decision = _policy.Decide(StepKind.Image, new ComposeStepException(error), 0);

        Assert.False(decision.Retry);
        Assert.Equal(error, decision.Error);
    }

    [Theory]
    [InlineData(StepKind.Init)]
    [InlineData(StepKind.Image)]
    [InlineData(StepKind.Finalize)]
    public void Decide_ReportsABugAsJobPanicked_WithoutRetrying(StepKind kind)
    {
        var decision = _policy.Decide(kind, new InvalidOperationException("Sequence contains no elements"), 0);

        Assert.False(decision.Retry);
        Assert.Equal(JobErrorCodes.JobPanicked, decision.Error!.Id);
        Assert.Contains("Sequence contains no elements", decision.Error.Details!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_MapsAPermanentHubErrorOfTheFinalizeStep_ToKojiFinalize()
    {
        var decision = _policy.Decide(StepKind.Finalize, new KojiProtocolException("koji hub: CGImport: reply is not XML-RPC"), 0);

        Assert.False(decision.Retry);
        Assert.Equal(JobErrorCodes.KojiFinalize, decision.Error!.Id);
    }
}
