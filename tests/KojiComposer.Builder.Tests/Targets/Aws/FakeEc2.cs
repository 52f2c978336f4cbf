using System.Collections.Concurrent;
using System.Security;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>
/// A fake of the EC2 Query API (form-encoded POSTs with <c>Action=…</c>, XML answers in the 2016-11-15 namespace,
/// errors as <c>&lt;Response&gt;&lt;Errors&gt;…</c>) for the calls of the <c>aws</c> target, so the real
/// AmazonEC2Client's wire path is exercised. It records every request; scripted failures and import states say what
/// it answers.
/// </summary>
internal sealed class FakeEc2 : IAsyncDisposable
{
    private const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private readonly FakeHttpServer _server;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Code, string Message)>> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Status, int Progress, string? Message)> _states = new();
    private (string Status, int Progress, string? Message) _last = ("completed", 100, null);
    private readonly ConcurrentDictionary<string, string> _amis = new(StringComparer.Ordinal);
    private int _images;

    public FakeEc2()
    {
        _server = new FakeHttpServer(HandleAsync);
    }

    public Uri Url => _server.Url;

    public RequestLog Requests { get; } = new();

    /// <summary>Called when ImportSnapshot arrives (e.g. to read the staging object the import would read).</summary>
    public Func<FakeRequest, Task>? OnImport { get; set; }

    /// <summary>The actions in arrival order.</summary>
    public List<string> Actions => [.. Requests.All.Select(r => r["Action"] ?? "?")];

    /// <summary>What successive DescribeImportSnapshotTasks calls answer; the last one repeats.</summary>
    public void ImportStates(params (string Status, int Progress, string? Message)[] states)
    {
        foreach (var state in states)
        {
            _states.Enqueue(state);
        }
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="action"/> fail with an EC2 error.</summary>
    public void Fail(string action, int status, string code, string message, int times = 1)
    {
        var queue = _failures.GetOrAdd(action, _ => new());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue((status, code, message));
        }
    }

    public FakeRequest Single(string action) => Requests.All.Single(r => r["Action"] == action);

    /// <summary>The next <paramref name="times"/> RegisterImage calls make the AMI but answer with this error (an
    /// answer lost after EC2 acted).</summary>
    public void RegisterButFail(int status, string code, string message, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _registerButFail.Enqueue((status, code, message));
        }
    }

    private readonly ConcurrentQueue<(int Status, string Code, string Message)> _registerButFail = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var parameters = (form?.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal) ?? [])
            .Concat(context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())))
            .GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var request = new FakeRequest(context.Request.Method, context.Request.Path, parameters);
        Requests.Add(request);
        var action = request["Action"] ?? "";
        if (_failures.TryGetValue(action, out var failures) && failures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            await WriteAsync(context, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{failure.Code}</Code><Message>{SecurityElement.Escape(failure.Message)}</Message></Error></Errors><RequestID>fake-{Guid.NewGuid()}</RequestID></Response>");
            return;
        }

        string body;
        switch (action)
        {
            case "ImportSnapshot":
                if (OnImport is { } onImport)
                {
                    await onImport(request);
                }

                body = $"<importTaskId>import-snap-0123456789abcdef0</importTaskId><description>{SecurityElement.Escape(request["Description"])}</description>"
                    + "<snapshotTaskDetail><status>active</status><progress>0</progress><format>RAW</format></snapshotTaskDetail>";
                break;
            case "DescribeImportSnapshotTasks":
                var state = _states.TryDequeue(out var next) ? _last = next : _last;
                var snapshot = state.Status == "completed" ? "<snapshotId>snap-0fedcba9876543210</snapshotId>" : "";
                var message = state.Message is null ? "" : $"<statusMessage>{SecurityElement.Escape(state.Message)}</statusMessage>";
                body = $"<importSnapshotTaskSet><item><importTaskId>{request["ImportTaskId.1"]}</importTaskId><snapshotTaskDetail>"
                    + $"<status>{state.Status}</status><progress>{state.Progress}</progress>{message}{snapshot}<format>RAW</format><diskImageSize>1048576.0</diskImageSize>"
                    + "</snapshotTaskDetail></item></importSnapshotTaskSet>";
                break;
            case "RegisterImage":
                var name = request["Name"] ?? "";
                if (_amis.ContainsKey(name))
                {
                    context.Response.StatusCode = 400;
                    await WriteAsync(context, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidAMIName.Duplicate</Code><Message>AMI name {SecurityElement.Escape(name)} is already in use by AMI {_amis[name]}</Message></Error></Errors><RequestID>x</RequestID></Response>");
                    return;
                }

                var ami = $"ami-0abc{Interlocked.Increment(ref _images):D12}";
                _amis[name] = ami;
                if (_registerButFail.TryDequeue(out var lost))
                {
                    context.Response.StatusCode = lost.Status;
                    await WriteAsync(context, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{lost.Code}</Code><Message>{SecurityElement.Escape(lost.Message)}</Message></Error></Errors><RequestID>x</RequestID></Response>");
                    return;
                }

                body = $"<imageId>{ami}</imageId>";
                break;
            case "DescribeImages":
                var wanted = request["Filter.1.Value.1"] ?? "";
                body = _amis.TryGetValue(wanted, out var found)
                    ? $"<imagesSet><item><imageId>{found}</imageId><name>{SecurityElement.Escape(wanted)}</name><imageState>available</imageState></item></imagesSet>"
                    : "<imagesSet/>";
                break;
            case "CancelImportTask":
                body = $"<importTaskId>{request["ImportTaskId"]}</importTaskId><previousState>active</previousState><state>deleting</state>";
                break;
            case "CreateTags" or "ModifySnapshotAttribute" or "ModifyImageAttribute":
                body = "<return>true</return>";
                break;
            default:
                context.Response.StatusCode = 400;
                await WriteAsync(context, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidAction</Code><Message>The action {action} is not valid for this web service.</Message></Error></Errors><RequestID>x</RequestID></Response>");
                return;
        }

        await WriteAsync(context, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{Namespace}\"><requestId>fake-{Guid.NewGuid()}</requestId>{body}</{action}Response>");
    }

    private static async Task WriteAsync(HttpContext context, string xml)
    {
        context.Response.ContentType = "text/xml;charset=UTF-8";
        await context.Response.WriteAsync(xml);
    }
}
