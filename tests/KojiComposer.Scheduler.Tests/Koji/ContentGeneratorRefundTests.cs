using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge.Calls;
using KojiComposer.Scheduler.Model;
using static KojiComposer.Scheduler.Tests.Koji.ContentGeneratorTestComposes;

namespace KojiComposer.Scheduler.Tests.Koji;

/// <summary>RefundAsync against the simulated hub (cg-import.md §5).</summary>
public sealed class ContentGeneratorRefundTests
{
    [Theory]
    [InlineData(false, KojiBuildState.Failed)]
    [InlineData(true, KojiBuildState.Canceled)]
    public async Task RefundAsync_EndsTheBuild_FailedOrCanceled(bool canceled, KojiBuildState expected)
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (compose, reservation) = await hub.ReserveAsync(Pending(hub.Url));

        await hub.Steps.RefundAsync(compose, canceled, CancellationToken.None);

        await using var session = await hub.LoginAsCgAsync();
        Assert.Equal(expected, (await session.GetBuildAsync(reservation.BuildId))!.State);
        var refund = Assert.Single(hub.Hub.Hub.CallsTo("CGRefundBuild"));
        Assert.Equal(canceled ? 4 : 3, Convert.ToInt32(refund.Params[3], System.Globalization.CultureInfo.InvariantCulture));
        // Refunded, the NVR is free again: the next reservation recycles the same build.
        var again = await hub.Steps.ReserveAsync(Pending(hub.Url), CancellationToken.None);
        Assert.Equal(reservation.BuildId, again!.BuildId);
    }

    [Fact]
    public async Task RefundAsync_Succeeds_WhenTheHubAlreadyCancelledTheBuild()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (compose, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        await using (var session = await hub.LoginAsCgAsync())
        {
            Assert.True(await session.CancelBuildAsync(reservation.BuildId));
        }

        await hub.Steps.RefundAsync(compose, canceled: true, CancellationToken.None);

        var refund = Assert.Single(hub.Hub.Hub.CallsTo("CGRefundBuild"));
        Assert.Equal($"Build ID {reservation.BuildId} is not in BUILDING state", refund.FaultString);
        await using var check = await hub.LoginAsCgAsync();
        Assert.Equal(KojiBuildState.Canceled, (await check.GetBuildAsync(reservation.BuildId))!.State);
    }

    [Fact]
    public async Task RefundAsync_FailsWithTheHubsText_WhenTheTokenIsNotTheBuilds()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (compose, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var wrong = compose with { Reservation = reservation with { Token = new string('0', 64) } };

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.RefundAsync(wrong, canceled: false, CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiFinalize, error.Error.Id);
        Assert.False(error.IsTransient);
        Assert.Contains($"Token doesn't match build ID {reservation.BuildId}", error.Error.Reason, StringComparison.Ordinal);
        await using var session = await hub.LoginAsCgAsync();
        Assert.Equal(KojiBuildState.Building, (await session.GetBuildAsync(reservation.BuildId))!.State);
    }

    [Fact]
    public async Task RefundAsync_DoesNothing_WithoutAReservation()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();

        await hub.Steps.RefundAsync(Pending(hub.Url), canceled: false, CancellationToken.None);
        await hub.Steps.RefundAsync(Pending(hub: null) with { Reservation = new Reservation(1, "t") }, canceled: false, CancellationToken.None);

        Assert.Empty(hub.Hub.Hub.Calls);
    }
}
