using System.Text;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Osbuild;

/// <summary>Monitor records of shapes osbuild 191 does not send: the build must go on and report what it can.</summary>
public sealed class MonitorShapeTests : IDisposable
{
    private const string Rs = "\u001e";
    private readonly OsbuildStandinRun _run = new();

    [Fact]
    public void Feed_ReadsPastRecords_WhosePipelineOrStageIsABareName()
    {
        var text = Rs + """{"message": "a", "context": {"origin": "osbuild.monitor", "pipeline": "os", "id": "c1"}, "progress": {"name": "pipelines/sources", "total": 3, "done": 1}}""" + "\n"
            + Rs + """{"message": "b", "context": {"origin": "osbuild.monitor", "pipeline": {"name": "os", "stage": "org.osbuild.rpm"}, "id": "c2"}, "progress": {"name": "pipelines/sources", "total": 3, "done": 2, "progress": {"name": "pipeline: os", "total": 2, "done": 1}}}""" + "\n"
            + Rs + """{"message": "c", "context": {"id": "c2"}, "progress": {"name": "pipelines/sources", "total": 3, "done": 3}}""" + "\n";
        var progress = new List<ImageProgress>();
        var origins = new List<string?>();
        var parser = new JsonSeqMonitorParser(record =>
        {
            origins.Add(record.Origin + "/" + record.PipelineName + "/" + record.StageType);
            if (ImageProgressReader.From(record) is { } value)
            {
                progress.Add(value);
            }
        });

        parser.Feed(Encoding.UTF8.GetBytes(text));
        parser.Complete();

        Assert.Equal(["osbuild.monitor//", "osbuild.monitor/os/", "osbuild.monitor/os/"], origins);
        Assert.Equal([1, 2, 3], progress.Select(p => p.Done));
        Assert.Equal("pipeline: os", progress[1].Stage);
        Assert.Equal("", parser.StrayText);
    }

    [Fact]
    public void ImageProgress_ReadsTheCounts_WhenTheyComeAsStrings()
    {
        var records = new List<MonitorRecord>();
        var parser = new JsonSeqMonitorParser(records.Add);

        parser.Feed(Encoding.UTF8.GetBytes(Rs + """{"progress": {"name": "pipelines/sources", "total": "5", "done": "2", "progress": {"name": "pipeline: os", "total": "4", "done": "3"}}}""" + "\n"));
        parser.Complete();

        Assert.Equal(new ImageProgress(2, 5, "pipeline: os", 3, 4), ImageProgressReader.From(records.Single()));
    }

    [Fact]
    public async Task RunAsync_Succeeds_WhenOsbuildSendsRecordsOfUnexpectedShapes()
    {
        var result = await _run.RunAsync(_run.Request(environment: ("OSBUILD_STANDIN_ODD_RECORDS", "1")));

        Assert.True(result.Success, result.Error?.ToJson().ToJsonString());
        Assert.True(File.Exists(Path.Combine(_run.OutputDirectory, "qcow2", "disk.qcow2")));
        Assert.Contains(_run.Progress, p => p is { Done: 1, Total: 9 });
    }

    public void Dispose() => _run.Dispose();
}
