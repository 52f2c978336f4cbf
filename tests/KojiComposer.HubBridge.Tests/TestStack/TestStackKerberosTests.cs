using System.Diagnostics;
using KojiComposer.Testing;
using Xunit;

namespace KojiComposer.HubBridge.Tests;

public sealed class TestStackKerberosTests : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private readonly string _scratch = Directory.CreateTempSubdirectory("kc-krb-").FullName;

    public static TheoryData<string, string> Principals()
    {
        var data = new TheoryData<string, string>();
        foreach (var principal in TestStack.Principals)
        {
            data.Add(principal.Name, principal.KeytabName);
        }

        return data;
    }

    [Fact]
    public void Realm_IsKojiTest_WhenStackRuns()
    {
        Assert.Equal("KOJI.TEST", TestStack.Realm);
        Assert.All(TestStack.Principals, p => Assert.EndsWith("@" + TestStack.Realm, p.Name, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Principals))]
    public async Task Keytab_GetsTicketGrantingTicket_ForItsPrincipal(string principal, string keytabName)
    {
        var keytab = TestStack.Keytab(keytabName);
        var ccache = "FILE:" + Path.Combine(_scratch, "ccache");

        var kinit = await RunAsync("kinit", "-k", "-t", keytab, "-c", ccache, principal);
        Assert.True(kinit.ExitCode == 0, $"kinit for {principal} failed: {kinit.Output}");
        var klist = await RunAsync("klist", "-c", ccache);

        Assert.True(klist.ExitCode == 0, klist.Output);
        Assert.Contains($"Default principal: {principal}", klist.Output, StringComparison.Ordinal);
        Assert.Contains($"krbtgt/{TestStack.Realm}@{TestStack.Realm}", klist.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void HubKeytab_IsTheAcceptorKeytab_OfTheEnvironment()
    {
        Assert.Equal(TestStack.Keytab("hub"), Environment.GetEnvironmentVariable("KRB5_KTNAME"));
    }

    [Fact]
    public void Keytab_Throws_WhenNameIsUnknown()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TestStack.Keytab("nobody"));

        Assert.Contains("builder1", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KRB5_CONFIG"] = TestStack.Krb5Config;
        start.Environment.Remove("KRB5CCNAME");
        start.Environment.Remove("KRB5_CLIENT_KTNAME");

        using var timeout = new CancellationTokenSource(ToolTimeout);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {ToolTimeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
