using KojiComposer.HubSimulator.State;
using KojiComposer.Testing;
using KojiComposer.Testing.Site;

namespace KojiComposer.Intake.Tests;

/// <summary>The same task flow with the composes and task records in PostgreSQL (the multi-machine store), and a
/// restart mid-build on it.</summary>
public sealed class PostgresTaskTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Task_ClosesWithItsBuild_AcrossARestartDuringTheBuild_OnPostgreSql()
    {
        await using var site = await IntakeSite.StartAsync(
            postgres: database.ConnectionString,
            osbuild: new Dictionary<string, string> { ["OSBUILD_STANDIN_SCENARIO"] = "slow", ["OSBUILD_STANDIN_SLOW_SECONDS"] = "3" });

        var task = await site.SubmitAsync(["x86_64", "aarch64"]);
        await site.WaitUntilAsync(() => site.TaskOutputs(task).Contains("compose-status.json") && site.TaskOutput(task, "compose-status.json").Contains("\"building\"", StringComparison.Ordinal), "an image builds");
        await site.StopServiceAsync();
        await site.StartServiceAsync();

        var row = await site.WaitForTaskAsync(task, seconds: 240);
        Assert.Equal(TaskState.Closed, row.State);
        var build = Assert.Single(site.Read(s => s.Builds.Values.ToList()));
        Assert.Equal(BuildState.Complete, build.State);
        Assert.Single(site.Read(s => s.TagHistory.Where(l => l.BuildId == build.Id).ToList()));
        var composes = await site.GetJsonAsync("/api/image-builder-composer/v2/composes/");
        Assert.Single(composes["items"]!.AsArray());
    }
}
