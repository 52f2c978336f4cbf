using System.Text;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class JsonSeqMonitorParserTests
{
    private const string Rs = "\u001e";

    // Shaped like osbuild 191's records (osbuild-run.md §3): the context in full once, then by id.
    private static readonly string Stream =
        Rs + """{"message": "Starting module org.osbuild.rpm", "context": {"origin": "osbuild.monitor", "pipeline": {"name": "os", "id": "af6f", "stage": {"name": "org.osbuild.rpm", "id": "1aef"}}, "id": "2af2"}, "progress": {"name": "pipelines/sources", "total": 3, "done": 1, "progress": {"name": "pipeline: os", "total": 2, "done": 0}}, "timestamp": 1795655407.885}""" + "\n"
        + Rs + """{"message": "Installing bash-5.2.37-1.fc42.x86_64 ✓\n", "context": {"origin": "stages/org.osbuild.rpm", "pipeline": {"name": "os", "id": "af6f", "stage": {"name": "org.osbuild.rpm", "id": "1aef"}}, "id": "77c1"}, "timestamp": 1795655408.1}""" + "\n"
        + Rs + """{"message": "Finished module org.osbuild.rpm", "result": {"name": "org.osbuild.rpm", "id": "1aef", "success": true, "output": "..."}, "context": {"id": "2af2"}, "progress": {"name": "pipelines/sources", "total": 3, "done": 1, "progress": {"name": "pipeline: os", "total": 2, "done": 1}}, "timestamp": 1795655408.272, "duration": 0.386, "metadata": {"packages": []}}""" + "\n"
        + Rs + """{"context": {"id": "77c1"}, "timestamp": 1795655408.3}""" + "\n";

    [Fact]
    public void Feed_ResolvesAContextSentByIdOnly_FromTheRecordThatSentItInFull()
    {
        var records = Parse([Encoding.UTF8.GetBytes(Stream)], out var parser);

        Assert.Equal(4, parser.RecordCount);
        Assert.Equal("osbuild.monitor", records[2].Origin);
        Assert.Equal("org.osbuild.rpm", records[2].StageType);
        Assert.Equal("os", records[2].PipelineName);
        Assert.Equal("stages/org.osbuild.rpm", records[3].Origin);
        Assert.True((bool)records[2].Result!["success"]!);
        Assert.Equal("", parser.StrayText);
    }

    [Fact]
    public void Feed_GivesTheSameRecords_WhateverTheChunkBoundaries()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream + "Traceback (most recent call last):\n  oops\n");
        var whole = Parse([bytes], out var reference);
        var random = new Random(7);

        foreach (var chunking in new Func<int, int>[] { _ => 1, _ => 2, _ => 3, _ => random.Next(1, 300) })
        {
            var chunks = new List<byte[]>();
            for (var offset = 0; offset < bytes.Length;)
            {
                var length = Math.Min(chunking(offset), bytes.Length - offset);
                chunks.Add(bytes[offset..(offset + length)]);
                offset += length;
            }

            var records = Parse(chunks, out var parser);
            Assert.Equal(whole.Select(r => r.Json.ToJsonString()), records.Select(r => r.Json.ToJsonString()));
            Assert.Equal(whole.Select(r => r.Context?.ToJsonString()), records.Select(r => r.Context?.ToJsonString()));
            Assert.Equal(reference.StrayText, parser.StrayText);
        }

        Assert.Equal("Installing bash-5.2.37-1.fc42.x86_64 ✓\n", whole[1].Message);
    }

    [Fact]
    public void Feed_KeepsTextBetweenAndAfterRecords_AsTheInfrastructureLog()
    {
        var text = "osbuild: warning before any record\n" + Stream[..Stream.IndexOf('\n', StringComparison.Ordinal)] + "\n"
            + "Traceback (most recent call last):\n  File \"/usr/lib/python3.13/site-packages/osbuild/host.py\", line 407\n"
            + "osbuild.host.RemoteError: FileNotFoundError: mkfs.vfat\n"
            + Rs + "{\"broken\": \n";

        Parse([Encoding.UTF8.GetBytes(text)], out var parser);

        Assert.Equal(1, parser.RecordCount);
        Assert.Equal(
            "osbuild: warning before any record\nTraceback (most recent call last):\n  File \"/usr/lib/python3.13/site-packages/osbuild/host.py\", line 407\n"
            + "osbuild.host.RemoteError: FileNotFoundError: mkfs.vfat\n{\"broken\": \n",
            parser.StrayText);
    }

    [Fact]
    public void StrayText_KeepsTheEnd_WhenOsbuildPrintsMoreThanTheLimit()
    {
        var parser = new JsonSeqMonitorParser(_ => { }, strayTextLimit: 1000);
        for (var i = 0; i < 500; i++)
        {
            parser.Feed(Encoding.UTF8.GetBytes($"line {i}\n" + Rs + "{\"message\": \"x\"}\n"));
        }

        parser.Complete();

        Assert.Equal(500, parser.RecordCount);
        Assert.EndsWith("line 499\n", parser.StrayText, StringComparison.Ordinal);
        Assert.StartsWith("[...", parser.StrayText, StringComparison.Ordinal);
        Assert.True(parser.StrayText.Length < 1100);
    }

    [Fact]
    public void ImageProgress_NamesThePipelineAndTheStageRunning()
    {
        var records = Parse([Encoding.UTF8.GetBytes(Stream)], out _);

        Assert.Equal(new ImageProgress(1, 3, "pipeline: os (org.osbuild.rpm)", 0, 2), ImageProgressReader.From(records[0]));
        Assert.Equal(new ImageProgress(1, 3, "pipeline: os (org.osbuild.rpm)", 1, 2), ImageProgressReader.From(records[2]));
        Assert.Null(ImageProgressReader.From(records[1]));
    }

    [Fact]
    public void ImageProgress_LeavesOutThePreviousPipelinesStage_WhenAPipelineStarts()
    {
        var text = Rs + """{"message": "Starting pipeline image", "context": {"origin": "osbuild.monitor", "pipeline": {"name": "os", "id": "af6f", "stage": {"name": "org.osbuild.hostname", "id": "9c0d"}}, "id": "5e5e"}, "progress": {"name": "pipelines/sources", "total": 3, "done": 2, "progress": {"name": "pipeline: image", "total": 4, "done": 0}}}""" + "\n";

        var records = Parse([Encoding.UTF8.GetBytes(text)], out _);

        Assert.Equal(new ImageProgress(2, 3, "pipeline: image", 0, 4), ImageProgressReader.From(records[0]));
    }

    private static List<MonitorRecord> Parse(IEnumerable<byte[]> chunks, out JsonSeqMonitorParser parser)
    {
        var records = new List<MonitorRecord>();
        parser = new JsonSeqMonitorParser(records.Add);
        foreach (var chunk in chunks)
        {
            parser.Feed(chunk);
        }

        parser.Complete();
        return records;
    }
}
