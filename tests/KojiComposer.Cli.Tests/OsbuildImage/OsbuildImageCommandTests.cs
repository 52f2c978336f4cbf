using System.Text;
using System.Text.Json;
using KojiComposer.Cli.Koji;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubSimulator.State;
using KojiComposer.Testing;
using KojiComposer.Testing.Site;

namespace KojiComposer.Cli.Tests.OsbuildImage;

/// <summary>
/// <c>kojicomposer osbuild-image</c> against the hub simulator: what it sends (byte for byte what the stock
/// <c>koji osbuild-image</c> sends), what it prints, and every way it can fail. Nothing builds here; the tests
/// that wait for a real build are in <see cref="OsbuildImageWaitTests"/>.
/// </summary>
[Collection(OsbuildImageHubCollection.Name)]
public sealed class OsbuildImageCommandTests(OsbuildImageHub fixture) : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<CliResult> RunAsync(params string[] args)
    {
        if (!File.Exists(Path.Combine(_cli.Home, ".config", "kojicomposer", "cli.toml")))
        {
            fixture.WriteProfile(_cli);
        }

        return await _cli.RunAsync(["osbuild-image", .. args]);
    }

    private string LastRequestBody() => Encoding.UTF8.GetString(fixture.Hub.CallsTo("osbuildImage")[^1].Body);

    private static long TaskId(CliResult result) =>
        long.Parse(result.OutLines.Single(l => l.StartsWith("Created task: ", StringComparison.Ordinal))["Created task: ".Length..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Submit_SendsTheStockClientsRequest_ByteForByte_AndPrintsItsLines()
    {
        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--image-type", "qcow2", "--nowait");

        Assert.True(result.Code == 0, result.ToString());
        var task = TaskId(result);
        Assert.Equal(
            [
                "name: Fedora-Cloud",
                "version: 42",
                "distro: fedora-42",
                "arches: x86_64",
                "target: f42-candidate",
                "image type: qcow2",
                "{}",
                $"Created task: {task}",
                $"Task info: https://koji.example.com/koji/taskinfo?taskID={task}",
            ],
            result.OutLines);
        Assert.Equal("", result.Error);

        // The stock client's body: the request the stock hub stored for this very command (observed), with opts
        // as koji's keyword struct instead of the 7th positional param (formatted as sslLogin's kwargs struct).
        const string positional = "<param>\n<value><struct>\n</struct></value>\n</param>\n</params>";
        const string keywords =
            "<param>\n<value><struct>\n<member>\n<name>opts</name>\n<value><struct>\n</struct></value>\n</member>\n" +
            "<member>\n<name>__starstar</name>\n<value><boolean>1</boolean></value>\n</member>\n</struct></value>\n</param>\n</params>";
        Assert.Contains(positional, ObservedTranscripts.OsbuildImageRequestXml, StringComparison.Ordinal);
        Assert.Equal(ObservedTranscripts.OsbuildImageRequestXml.Replace(positional, keywords, StringComparison.Ordinal), LastRequestBody());
        Assert.Equal(TaskState.Free, fixture.Hub.Read(s => s.Tasks[task].State));
    }

    [Fact]
    public async Task Submit_WithEveryOption_SendsWhatPythonsXmlrpcSends_AndPrintsOptsAsPprint()
    {
        var customizations = _cli.WriteFile("customizations.json", """
            {"packages": ["vim-enhanced", "tmux"], "hostname": "iot-<&>", "kernel": {"append": "quiet"},
             "users": [{"name": "admin", "uid": 1000, "groups": ["wheel"]}], "big": 5000000000, "ratio": 0.25,
             "enabled": false, "nothing": null}
            """);
        var upload = _cli.WriteFile("upload.json", """{"name": "fedora-iot", "tag": "42"}""");

        var result = await RunAsync(
            "Fedora-IoT", "42", "fedora-42", "f42-candidate", "x86_64", "aarch64", "--image-type", "iot-commit",
            "--release", "20250101.n.0",
            "--repo", "https://repo.example.com/fedora/42/$arch/os", "--repo-package-sets", "os; build",
            "--repo", "https://repo.example.com/extras/$arch", "--repo-package-sets", "blueprint",
            "--ostree-parent", "fedora/42/$arch/iot", "--ostree-ref", "fedora/42/$arch/iot", "--ostree-url", "https://ostree.example.com/repo",
            "--customizations", customizations, "--upload-options", upload, "--skip-tag", "--nowait");

        Assert.True(result.Code == 0, result.ToString());
        var task = TaskId(result);
        Assert.Equal(
            $$$"""
            name: Fedora-IoT
            version: 42
            distro: fedora-42
            arches: x86_64, aarch64
            target: f42-candidate
            image type: iot-commit
            {'customizations': {'big': 5000000000,
                                'enabled': False,
                                'hostname': 'iot-<&>',
                                'kernel': {'append': 'quiet'},
                                'nothing': None,
                                'packages': ['vim-enhanced', 'tmux'],
                                'ratio': 0.25,
                                'users': [{'groups': ['wheel'],
                                           'name': 'admin',
                                           'uid': 1000}]},
             'ostree': {'parent': 'fedora/42/$arch/iot',
                        'ref': 'fedora/42/$arch/iot',
                        'url': 'https://ostree.example.com/repo'},
             'release': '20250101.n.0',
             'repo': [{'baseurl': 'https://repo.example.com/fedora/42/$arch/os',
                       'package_sets': ['build', 'os']},
                      {'baseurl': 'https://repo.example.com/extras/$arch',
                       'package_sets': ['blueprint']}],
             'skip_tag': True,
             'upload_options': {'name': 'fedora-iot', 'tag': '42'}}
            Created task: {{{task}}}
            Task info: https://koji.example.com/koji/taskinfo?taskID={{{task}}}

            """,
            result.Out);

        // Python's xmlrpc.client with koji's ExtendedMarshaller (<i8> beyond 32 bits), opts in insertion order.
        static string S(string s) => $"<value><string>{s}</string></value>\n";
        static string M(string name, string value) => $"<member>\n<name>{name}</name>\n{value}</member>\n";
        static string Struct(params string[] members) => "<value><struct>\n" + string.Concat(members) + "</struct></value>\n";
        static string Array(params string[] values) => "<value><array><data>\n" + string.Concat(values) + "</data></array></value>\n";
        static string Param(string value) => $"<param>\n{value}</param>\n";
        var opts = Struct(
            M("release", S("20250101.n.0")),
            M("repo", Array(
                Struct(M("baseurl", S("https://repo.example.com/fedora/42/$arch/os")), M("package_sets", Array(S("build"), S("os")))),
                Struct(M("baseurl", S("https://repo.example.com/extras/$arch")), M("package_sets", Array(S("blueprint")))))),
            M("skip_tag", "<value><boolean>1</boolean></value>\n"),
            M("ostree", Struct(M("parent", S("fedora/42/$arch/iot")), M("ref", S("fedora/42/$arch/iot")), M("url", S("https://ostree.example.com/repo")))),
            M("customizations", Struct(
                M("packages", Array(S("vim-enhanced"), S("tmux"))),
                M("hostname", S("iot-&lt;&amp;&gt;")),
                M("kernel", Struct(M("append", S("quiet")))),
                M("users", Array(Struct(M("name", S("admin")), M("uid", "<value><int>1000</int></value>\n"), M("groups", Array(S("wheel")))))),
                M("big", "<value><i8>5000000000</i8></value>\n"),
                M("ratio", "<value><double>0.25</double></value>\n"),
                M("enabled", "<value><boolean>0</boolean></value>\n"),
                M("nothing", "<value><nil/></value>"))),
            M("upload_options", Struct(M("name", S("fedora-iot")), M("tag", S("42")))));
        var expected =
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>osbuildImage</methodName>\n<params>\n" +
            Param(S("Fedora-IoT")) + Param(S("42")) + Param(S("fedora-42")) + Param(S("iot-commit")) + Param(S("f42-candidate")) +
            Param(Array(S("x86_64"), S("aarch64"))) +
            Param(Struct(M("opts", opts), M("__starstar", "<value><boolean>1</boolean></value>\n"))) +
            "</params>\n</methodCall>\n";
        Assert.Equal(expected, LastRequestBody());

        // What the hub stored: the seven arguments, opts exactly as meant.
        using var hub = new KojiHubConnection(fixture.Simulated.ClientOptions());
        var request = (await hub.GetTaskInfoAsync(task, request: true))!.Request!;
        Assert.Equal(
            "['Fedora-IoT', '42', 'fedora-42', 'iot-commit', 'f42-candidate', ['x86_64', 'aarch64'], " +
            "{'release': '20250101.n.0', " +
            "'repo': [{'baseurl': 'https://repo.example.com/fedora/42/$arch/os', 'package_sets': ['build', 'os']}, " +
            "{'baseurl': 'https://repo.example.com/extras/$arch', 'package_sets': ['blueprint']}], " +
            "'skip_tag': True, " +
            "'ostree': {'parent': 'fedora/42/$arch/iot', 'ref': 'fedora/42/$arch/iot', 'url': 'https://ostree.example.com/repo'}, " +
            "'customizations': {'packages': ['vim-enhanced', 'tmux'], 'hostname': 'iot-<&>', 'kernel': {'append': 'quiet'}, " +
            "'users': [{'name': 'admin', 'uid': 1000, 'groups': ['wheel']}], 'big': 5000000000, 'ratio': 0.25, 'enabled': False, 'nothing': None}, " +
            "'upload_options': {'name': 'fedora-iot', 'tag': '42'}}]",
            PythonRepr.Of(request));
    }

    [Fact]
    public async Task Submit_InTheBackground_WithoutFlags_DoesNotWait()
    {
        _cli.InBackground = true;

        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal("image type: guest-image", result.OutLines[5]);
        Assert.Matches(@"^Task info: \S+$", result.OutLines[^1]);
        Assert.DoesNotContain(result.OutLines, l => l.StartsWith("Watching", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_InTheForeground_Waits_ThenPrintsTheResultAsPythonRepr()
    {
        _cli.InBackground = false;
        var before = fixture.LastTaskId();

        var run = RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--nowait", "--wait");
        await OsbuildImageHub.UntilAsync(() => fixture.LastTaskId() > before, "the task is created");
        var task = fixture.LastTaskId();
        await OsbuildImageHub.UntilAsync(() => fixture.Hub.CallsTo("getTaskInfo").Any(c => Equals(c.Params[0], (int)task)), "the watcher reads the task");
        fixture.Finish(task, TaskState.Closed, OsbuildImageHub.Result(build: 12));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal(
            [
                $"Created task: {task}",
                $"Task info: https://koji.example.com/koji/taskinfo?taskID={task}",
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): free",
                $"{task} osbuildImage (noarch): free -> closed",
                "  0 free  0 open  1 done  0 failed",
                "",
                $"{task} osbuildImage (noarch) completed successfully",
                "{'composer': {'server': 'https://kojicomposer.example.com', 'id': '29381a43-333f-4093-b144-bf7f4a892372'}, 'koji': {'build': 12}}",
            ],
            result.OutLines.Skip(7));
        // The stock CLI logs out before it watches: the polls are anonymous.
        Assert.All(fixture.Hub.CallsTo("getTaskInfo").Where(c => Equals(c.Params[0], (int)task)), c => Assert.Null(c.SessionId));
        var submitted = fixture.Hub.CallsTo("osbuildImage")[^1].At;
        Assert.Single(fixture.Hub.CallsTo("logout"), c => c.At > submitted);
    }

    [Fact]
    public async Task Wait_Interrupted_ExitsWith130_AndSaysHowToWatchTheTask()
    {
        _cli.InBackground = false;
        fixture.WriteProfile(_cli);
        var before = fixture.LastTaskId();
        using var interrupt = new CancellationTokenSource();

        var run = _cli.RunAsync(["osbuild-image", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "-q"], interrupt.Token);
        await OsbuildImageHub.UntilAsync(() => fixture.LastTaskId() > before, "the task is created");
        var task = fixture.LastTaskId();
        await OsbuildImageHub.UntilAsync(() => fixture.Hub.CallsTo("getTaskInfo").Any(c => Equals(c.Params[0], (int)task)), "the watcher reads the task");
        await interrupt.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.Interrupted, result.Code);
        Assert.Equal("", result.Out);
        Assert.Equal($"kojicomposer osbuild-image: interrupted; task {task} goes on in Koji: watch it with 'kojicomposer watch {task}'\n", result.Error);
        Assert.Equal(TaskState.Free, fixture.Hub.Read(s => s.Tasks[task].State));
    }

    [Fact]
    public async Task Submit_InJson_PutsOneObjectOnStdout_AndTheLinesOnStderr()
    {
        var upload = _cli.WriteFile("u.json", """{"region": "us-east-1", "share_with_accounts": ["123456789012"]}""");

        var result = await RunAsync("--format", "json", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "aarch64",
            "--image-type", "ami", "--upload-options", upload, "--nowait");

        Assert.True(result.Code == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        var task = root.GetProperty("task_id").GetInt64();
        Assert.Equal(
            """{"task_id":TASK,"task_url":"https://koji.example.com/koji/taskinfo?taskID=TASK","name":"Fedora-Cloud","version":"42","distro":"fedora-42","image_type":"ami","target":"f42-candidate","arches":["x86_64","aarch64"],"opts":{"upload_options":{"region":"us-east-1","share_with_accounts":["123456789012"]}}}""".Replace("TASK", task.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\n",
            result.Out);
        Assert.Equal(
            $$$"""
            name: Fedora-Cloud
            version: 42
            distro: fedora-42
            arches: x86_64, aarch64
            target: f42-candidate
            image type: ami
            {'upload_options': {'region': 'us-east-1',
                                'share_with_accounts': ['123456789012']}}
            Created task: {{{task}}}
            Task info: https://koji.example.com/koji/taskinfo?taskID={{{task}}}

            """,
            result.Error);
    }

    [Fact]
    public async Task Submit_Quiet_PrintsNothing()
    {
        var before = fixture.LastTaskId();

        var result = await RunAsync("-q", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--nowait");

        Assert.Equal((0, "", ""), (result.Code, result.Out, result.Error));
        Assert.True(fixture.LastTaskId() > before);
    }

    [Fact]
    public async Task Submit_WithFewerThanFiveArguments_IsAUsageError()
    {
        var calls = fixture.Hub.Calls.Count;

        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate");

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Equal("", result.Out);
        Assert.Equal("kojicomposer osbuild-image: error: At least five arguments are required: a name, a version, a distribution, a build target, and 1 or more architectures.\n", result.Error);
        Assert.Equal(calls, fixture.Hub.Calls.Count);
    }

    [Fact]
    public async Task Submit_RepoPackageSetsWithoutRepo_IsAUsageError()
    {
        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--repo-package-sets", "os");

        Assert.Equal((ExitCodes.Usage, ""), (result.Code, result.Out));
        Assert.Equal("kojicomposer osbuild-image: error: Need '--repo' for --repo-package-sets\n", result.Error);
    }

    [Fact]
    public async Task Submit_ToAnUnknownTarget_FailsBeforeLoggingIn()
    {
        var logins = fixture.Hub.CallsTo("sslLogin").Count;

        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f99-candidate", "x86_64");

        Assert.Equal((ExitCodes.Failure, ""), (result.Code, result.Out));
        Assert.Equal("kojicomposer osbuild-image: error: Unknown build target: f99-candidate (koji list-targets shows the targets the hub has)\n", result.Error);
        Assert.Equal(logins, fixture.Hub.CallsTo("sslLogin").Count);
    }

    [Fact]
    public async Task Submit_ToATargetWhoseDestinationTagIsGone_Fails()
    {
        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", OsbuildImageHub.BrokenTarget, "x86_64");

        Assert.Equal((ExitCodes.Failure, ""), (result.Code, result.Out));
        Assert.Equal(
            $"kojicomposer osbuild-image: error: Unknown destination tag: gone (target {OsbuildImageHub.BrokenTarget} points at a tag that does not exist; a Koji admin must fix the target)\n",
            result.Error);
    }

    [Fact]
    public async Task Submit_WithAMissingOrBadJsonFile_NamesTheFile_BeforeAskingTheHub()
    {
        var missing = Path.Combine(_cli.Home, "nope.json");
        var bad = _cli.WriteFile("bad.json", "{\"region\": \"us-east-1\"\n\"x\": 1}");
        var calls = fixture.Hub.Calls.Count;

        var gone = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f99-candidate", "x86_64", "--customizations", missing);
        var broken = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f99-candidate", "x86_64", "--upload-options", bad);

        Assert.Equal((ExitCodes.Failure, "", $"kojicomposer osbuild-image: error: --customizations {missing}: cannot read the file: no such file\n"), (gone.Code, gone.Out, gone.Error));
        Assert.Equal(
            (ExitCodes.Failure, "", $"kojicomposer osbuild-image: error: --upload-options {bad}: not valid JSON at line 2, column 1: '\"' is invalid after a value. Expected either ',', '}}', or ']'\n"),
            (broken.Code, broken.Out, broken.Error));
        Assert.Equal(calls, fixture.Hub.Calls.Count);
    }

    [Fact]
    public async Task Submit_OptionsTheHubRefuses_ShowsTheFirstLineOfTheSchemaError()
    {
        var customizations = _cli.WriteFile("c.json", """["not", "an", "object"]""");

        var result = await RunAsync("-q", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--customizations", customizations);

        Assert.Equal(ExitCodes.HubError, result.Code);
        Assert.Equal("", result.Out);
        var fault = fixture.Hub.CallsTo("osbuildImage")[^1].FaultString!;
        Assert.Equal(1019, fixture.Hub.CallsTo("osbuildImage")[^1].FaultCode);
        Assert.Contains('\n', fault);
        Assert.Equal(
            $"kojicomposer osbuild-image: error: koji hub {fixture.Url}: osbuild-image: ParameterError (fault 1019): {fault.Split('\n')[0]} (the hub's osbuild plugin refused the options)\n",
            result.Error);
        Assert.Equal("['not', 'an', 'object'] is not of type 'object'", fault.Split('\n')[0]);
    }

    [Fact]
    public async Task Submit_AsAUserWithoutTheImagePermission_SaysWhoGrantsIt()
    {
        fixture.WriteProfile(_cli, principal: TestStack.ContentGeneratorPrincipal, keytab: "osbuild-cg");

        var result = await RunAsync("-q", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64");

        Assert.Equal((ExitCodes.HubError, ""), (result.Code, result.Out));
        Assert.Equal(
            $"kojicomposer osbuild-image: error: koji hub {fixture.Url}: osbuild-image: ActionNotAllowed (fault 1004): image permission required (logged in as osbuild-cg) (ask a Koji admin for the image permission: koji grant-permission image USER)\n",
            result.Error);
    }

    [Fact]
    public async Task Submit_WhenKerberosFails_ExitsWithTheAuthenticationCode()
    {
        // releng's principal with another principal's keytab: no key to get a ticket with.
        fixture.WriteProfile(_cli, keytab: "stranger");

        var result = await RunAsync("-q", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64");

        Assert.Equal((ExitCodes.Authentication, ""), (result.Code, result.Out));
        Assert.Equal(
            $"kojicomposer osbuild-image: error: koji hub {fixture.Url}: sslLogin: keytab {TestStack.Keytab("stranger")} holds no key for {TestStack.UserPrincipal} (it has: {TestStack.StrangerPrincipal})\n",
            result.Error);
    }

    [Fact]
    public async Task Submit_WhenTheHubIsUnreachable_ExitsWithTheUnreachableCode()
    {
        fixture.WriteProfile(_cli, server: "http://localhost:9/kojihub");

        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64");

        Assert.Equal((ExitCodes.HubUnreachable, ""), (result.Code, result.Out));
        Assert.StartsWith("kojicomposer osbuild-image: error: koji hub http://localhost:9/kojihub: getBuildTarget: Connection refused", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Submit_WithAMistypedOption_IsAUsageError_InsteadOfAnArchitecture()
    {
        var tasks = fixture.Hub.CallsTo("osbuildImage").Count;

        var result = await RunAsync("Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--nowiat");

        Assert.Equal((ExitCodes.Usage, ""), (result.Code, result.Out));
        Assert.Equal("kojicomposer osbuild-image: error: no such option: --nowiat (kojicomposer osbuild-image --help lists the options; put -- before an argument that starts with '-')\n", result.Error);
        Assert.Equal(tasks, fixture.Hub.CallsTo("osbuildImage").Count);
    }

    [Fact]
    public async Task Submit_InterruptedWhileLoggingOut_HasPrintedTheTaskAlready()
    {
        var (result, _) = await InterruptDuringAsync("logout");

        Assert.Equal(ExitCodes.Interrupted, result.Code);
        var task = TaskId(result);
        Assert.Equal([$"Created task: {task}", $"Task info: https://koji.example.com/koji/taskinfo?taskID={task}"], result.OutLines.TakeLast(2));
        Assert.Equal("kojicomposer osbuild-image: interrupted\n", result.Error);
    }

    [Fact]
    public async Task Submit_InterruptedWhileTheHubCreatesTheTask_SaysItMayExistAllTheSame()
    {
        var (result, created) = await InterruptDuringAsync("osbuildImage");

        Assert.Equal(ExitCodes.Interrupted, result.Code);
        Assert.DoesNotContain(result.OutLines, l => l.StartsWith("Created task:", StringComparison.Ordinal));
        Assert.Equal(
            "kojicomposer osbuild-image: error: interrupted while the hub was creating the task: it may exist all the same; look with 'koji list-tasks --mine --method osbuildImage' before submitting again\n",
            result.Error);
        Assert.True(created, "the hub went on with the call");
    }

    /// <summary>Runs a submission and interrupts it while the hub holds <paramref name="method"/>; then lets the
    /// hub finish the call. Returns the run and whether the hub's call succeeded.</summary>
    private async Task<(CliResult Result, bool Completed)> InterruptDuringAsync(string method)
    {
        fixture.WriteProfile(_cli);
        Assert.True(fixture.Hub.Dispatcher.TryGet(method, out var original));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var completed = false;
        fixture.Hub.Dispatcher.Register(method, call =>
        {
            entered.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(30));
            var reply = original(call);
            completed = true;
            return reply;
        });
        try
        {
            using var interrupt = new CancellationTokenSource();
            var run = _cli.RunAsync(["osbuild-image", "Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64", "--nowait"], interrupt.Token);
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await interrupt.CancelAsync();
            var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
            release.Set();
            await OsbuildImageHub.UntilAsync(() => completed, $"the hub finishes {method}");
            return (result, completed);
        }
        finally
        {
            release.Set();
            fixture.Hub.Dispatcher.Register(method, original);
        }
    }
}
