using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KojiComposer.Testing;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Cli.Tests;

/// <summary>
/// <c>kojicomposer</c> run as a process of its own, as a shell runs it (<c>Main</c>, not <c>RunAsync</c>): its exit
/// code, what Ctrl-C does, and what it leaves behind in the temporary directory.
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kc-process-");

    public ProcessTests()
    {
        Directory.CreateDirectory(Temp);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>The CLI as its own build made it (cli/bin/&lt;configuration&gt;/&lt;tfm&gt;): the copy in this test
    /// project's output resolves its dependencies through the test project's deps.json, which is not its own.</summary>
    private static string CliAssembly
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var configuration = output.Parent!;
            var repository = configuration.Parent!.Parent!.Parent!.Parent!;
            return Path.Combine(repository.FullName, "cli", "bin", configuration.Name, output.Name, "kojicomposer.dll");
        }
    }

    /// <summary>The child's TMPDIR: where its Kerberos credential caches go.</summary>
    private string Temp => Path.Combine(_dir.FullName, "tmp");

    private string Profile(Uri hub)
    {
        var path = Path.Combine(_dir.FullName, "cli.toml");
        File.WriteAllText(path, $"""
            [koji]
            server = "{hub.AbsoluteUri}"
            principal = "{TestStack.UserPrincipal}"
            keytab = "{TestStack.Keytab("releng")}"
            max_retries = 1
            """);
        return path;
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _dir.FullName;
        start.Environment["TMPDIR"] = Temp;
        start.Environment.Remove("RUNTIME_DIRECTORY");
        start.Environment.Remove("XDG_CONFIG_HOME");
        return Process.Start(start)!;
    }

    private static async Task<(int Code, string Out, string Error)> EndAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Main_ExitsWithTheCommandsCode()
    {
        using var process = Start("compose", "show", "nope", "--server", "http://127.0.0.1:9");

        var (code, output, error) = await EndAsync(process);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Equal("kojicomposer compose show: error: \"nope\" is neither a compose id (a UUID like 0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f) nor a Koji task id (a number)\n", error);
    }

    [Fact]
    public async Task KeytabLogin_LeavesNoCredentialCacheBehind()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var process = Start("--cli-config", Profile(hub.Url), "hello");

        var (code, output, error) = await EndAsync(process);

        Assert.True(code == ExitCodes.Success, error);
        Assert.StartsWith("Hello, releng!", output, StringComparison.Ordinal);
        Assert.Empty(CredentialCaches());
    }

    [Fact]
    public async Task CtrlC_SaysInterrupted_ExitsWith130_AndLeavesNoCredentialCacheBehind()
    {
        // A "hub" that takes the connection and never answers: the login waits there until interrupted.
        var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var process = Start("--cli-config", Profile(new Uri($"http://localhost:{port}/kojihub")), "hello");
            using var accepting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var accept = listener.AcceptTcpClientAsync(accepting.Token).AsTask();
            if (await Task.WhenAny(accept, process.WaitForExitAsync(accepting.Token)) != accept)
            {
                Assert.Fail($"kojicomposer ended before it reached the hub: {await EndAsync(process)}");
            }

            using var connection = await accept;

            Interrupt(process);
            var (code, output, error) = await EndAsync(process);

            Assert.Equal(ExitCodes.Interrupted, code);
            Assert.Equal("", output);
            Assert.Equal("kojicomposer hello: interrupted\n", error);
            Assert.Empty(CredentialCaches());
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>What a keytab login writes (a ccache with the TGT, a copy of the keys) under TMPDIR.</summary>
    private string[] CredentialCaches() => Directory.GetFileSystemEntries(Temp, "kojicomposer-krb5-*");

    /// <summary>Ctrl-C: SIGINT. A test host started in the background (CI) inherits SIGINT ignored, and so would the
    /// child; SIGTERM (systemd, kill) takes the same path through the command line library then.</summary>
    private static void Interrupt(Process process)
    {
        var signal = SigIntIgnored() ? "-TERM" : "-INT";
        using var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static bool SigIntIgnored()
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return ignored is not null && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & (1UL << 1)) != 0;
    }
}
