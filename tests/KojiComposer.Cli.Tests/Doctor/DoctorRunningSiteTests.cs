using System.Text.Json;
using System.Text.RegularExpressions;
using KojiComposer.Testing;

namespace KojiComposer.Cli.Tests.Doctor;

/// <summary>
/// <c>kojicomposer doctor</c> against a whole running site (hub simulator, kojicomposerd with every role, the test
/// KDC): the good set-up, and broken profiles or service configs next to it. None of these tests changes the site.
/// </summary>
public sealed partial class DoctorRunningSiteTests(RunningSiteFixture fixture) : IClassFixture<RunningSiteFixture>, IDisposable
{
    private const string HeldBySomeoneElse = "warn  hub exclusive session: held by another session — the running kojicomposerd holds it (fine) or a stale session";
    private const string HeldFix = "      fix: nothing while kojicomposerd runs; if it does not, start it: its hub-bridge role takes a stale session over (exclusiveSession with force)";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Standins => Path.Combine(AppContext.BaseDirectory, "standins");

    private Uri Hub => fixture.Site.Hub.Url;

    private Uri Service => fixture.Site.Api.BaseAddress!;

    [Fact]
    public async Task Doctor_SaysEverythingIsOk_ExceptThatTheRunningServiceHoldsTheExclusiveSession()
    {
        var profile = _cli.WriteProfile(Hub, Service);
        var dir = fixture.Site.Directory;

        var result = await _cli.RunAsync("doctor", "--config", fixture.ConfigPath);

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal("", result.Error);
        var lines = result.OutLines;
        Assert.Equal(
            [
                $"ok    cli profile: [koji]: hub {Hub}, service {Service} (read {profile})",
                $"ok    service config: {fixture.ConfigPath}: valid; roles scheduler, builder, hub-bridge; embedded store {dir}/kojicomposer.db",
                $"ok    kerberos (profile koji): releng@KOJI.TEST (keytab {TestStack.Keytab("releng")}): ticket for HTTP/localhost obtained",
                $"ok    kerberos (host): compile/builder1.koji.test@KOJI.TEST (keytab {TestStack.Keytab("builder1")}): ticket for HTTP/localhost obtained",
                $"ok    kerberos (content generator): osbuild-cg@KOJI.TEST (keytab {TestStack.Keytab("osbuild-cg")}): ticket for HTTP/localhost obtained",
                $"ok    hub: {Hub} answers: Koji 1.35.3, API version 1",
                "ok    hub login (profile koji): logged in as releng (releng@KOJI.TEST)",
                HeldBySomeoneElse,
                HeldFix,
                $"ok    hub host: builder1.koji.test (id {fixture.Site.Simulated.Builder1.Id}): enabled, arches x86_64 aarch64, channels default, image",
                "ok    hub content generator: logged in as osbuild-cg (osbuild-cg@KOJI.TEST)",
                $"ok    service: {Service} answers: /health ok",
                "ok    service store: 0 composes",
                $"ok    service hub: logged in to {Hub} as osbuild-cg (osbuild-cg@KOJI.TEST)",
            ],
            lines.Take(14));
        Assert.Matches(BuildersLine(), lines[14]);
        Assert.Equal(
            [
                "ok    service koji-host: host 1, no tasks",
                $"ok    builder osbuild: {Standins}/osbuild: osbuild 191 (at least 190 needed)",
                $"ok    builder manifest generator: {Standins}/image-builder: image-builder 79",
                $"ok    builder directories: store_dir {dir}/osbuild-store and work_dir {dir}/builds writable",
            ],
            lines.Skip(15));
    }

    [Fact]
    public async Task Doctor_AsksForTheExclusiveSessionWithoutForce_AndLogsItsSessionOut()
    {
        _cli.WriteProfile(Hub, Service);
        var host = fixture.Site.Simulated.Builder1.UserId;
        var held = fixture.Site.Read(s => s.Sessions.Values.Single(x => x.UserId == host && x.Master == null && x.Exclusive && !x.Closed).Id);
        var earlier = fixture.Site.Hub.CallsTo("exclusiveSession").Count;

        await _cli.RunAsync("doctor", "--config", fixture.ConfigPath);

        var call = Assert.Single(fixture.Site.Hub.CallsTo("exclusiveSession").Skip(earlier));
        Assert.Empty(call.Params);
        Assert.Equal(1006, call.FaultCode);
        Assert.True(fixture.Site.Read(s => s.Sessions[call.SessionId!.Value].Closed));
        Assert.Equal(held, fixture.Site.Read(s => s.Sessions.Values.Single(x => x.UserId == host && x.Master == null && x.Exclusive && !x.Closed).Id));
    }

    [Fact]
    public async Task Doctor_InJson_PutsOnlyTheListOfChecksOnStdout()
    {
        _cli.WriteProfile(Hub, Service);

        var result = await _cli.RunAsync("doctor", "--config", fixture.ConfigPath, "--format", "json");

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal("", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var checks = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(18, checks.Count);
        Assert.All(checks, c => Assert.Equal(["check", "status", "detail", "fix"], c.EnumerateObject().Select(p => p.Name)));
        var exclusive = Assert.Single(checks, c => c.GetProperty("check").GetString() == "hub exclusive session");
        Assert.Equal("warn", exclusive.GetProperty("status").GetString());
        Assert.Equal("held by another session — the running kojicomposerd holds it (fine) or a stale session", exclusive.GetProperty("detail").GetString());
        Assert.StartsWith("nothing while kojicomposerd runs", exclusive.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.All(checks.Where(c => c.GetProperty("check").GetString() != "hub exclusive session"), c =>
        {
            Assert.Equal("ok", c.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("fix").ValueKind);
        });
    }

    [Fact]
    public async Task Doctor_Quiet_PrintsOnlyWarningsAndFailures()
    {
        _cli.WriteProfile(Hub, Service);

        var result = await _cli.RunAsync("doctor", "-q", "--config", fixture.ConfigPath);

        Assert.Equal(ExitCodes.Success, result.Code);
        Assert.Equal([HeldBySomeoneElse, HeldFix], result.OutLines);
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheProfileKeytabDoesNotHoldItsPrincipal()
    {
        var stranger = TestStack.Keytab("stranger");
        _cli.WriteUserConfig($"""
            [koji]
            server = "{Hub}"
            service = "{Service}"
            principal = "releng@KOJI.TEST"
            keytab = "{stranger}"
            max_retries = 2
            retry_interval_seconds = 0.05
            """);

        var result = await _cli.RunAsync("doctor", "--config", fixture.ConfigPath);

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        var at = Index(lines, "FAIL  kerberos (profile koji): ");
        Assert.Equal(
            [
                $"FAIL  kerberos (profile koji): keytab {stranger} holds no key for releng@KOJI.TEST (it has: stranger@KOJI.TEST)",
                $"      fix: use a keytab with releng@KOJI.TEST's keys (kadmin: ktadd -k FILE releng@KOJI.TEST; FreeIPA: ipa-getkeytab -p releng@KOJI.TEST -k FILE), or name a principal it holds (principal and keytab in [koji] of cli.toml)",
            ],
            lines.Skip(at).Take(2));
        Assert.Contains("skip  hub login (profile koji): needs a Kerberos ticket (kerberos (profile koji) above)", lines);
        // Everything else still works: the service's identities are fine.
        Assert.Contains("ok    hub content generator: logged in as osbuild-cg (osbuild-cg@KOJI.TEST)", lines);
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheProfileKeytabIsMissing()
    {
        var missing = Path.Combine(_cli.Home, "gone.keytab");
        var profile = _cli.WriteUserConfig($"""
            [koji]
            server = "{Hub}"
            principal = "releng@KOJI.TEST"
            keytab = "{missing}"
            """);

        var result = await _cli.RunAsync("doctor", "--config", fixture.ConfigPath);

        Assert.Equal(ExitCodes.Failure, result.Code);
        Assert.Equal(
            [
                "FAIL  cli profile: 1 problem:",
                $"      {profile}:4: koji.keytab: cannot read keytab \"{missing}\": No such file or directory",
                "      fix: correct the keys named above (each line is file:line: profile.key: problem)",
                $"ok    service config: {fixture.ConfigPath}: valid; roles scheduler, builder, hub-bridge; embedded store {fixture.Site.Directory}/kojicomposer.db",
                "skip  kerberos (profile koji): needs a valid cli profile (see above)",
            ],
            result.OutLines.Take(5));
        Assert.Contains("skip  service: needs a valid cli profile (see above)", result.OutLines);
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheServiceIsDown_AndChecksItsStoreDirectly()
    {
        var down = new Uri("http://127.0.0.1:9/");
        _cli.WriteProfile(Hub, down);

        var result = await _cli.RunAsync("doctor", "--config", fixture.ConfigPath);

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        var at = Index(lines, "FAIL  service: ");
        // The reason is the service client's own message.
        Assert.StartsWith("FAIL  service: KojiComposer service http://127.0.0.1:9: GET /health: cannot reach the service", lines[at], StringComparison.Ordinal);
        Assert.Contains("Connection refused", lines[at], StringComparison.Ordinal);
        Assert.Equal("      fix: start kojicomposerd (systemctl start kojicomposerd; journalctl -u kojicomposerd says why it stopped), or correct service in [koji] / --server", lines[at + 1]);
        var size = new FileInfo(Path.Combine(fixture.Site.Directory, "kojicomposer.db")).Length;
        Assert.Equal($"ok    store: embedded store {fixture.Site.Directory}/kojicomposer.db: directory writable, database {size} bytes", lines[at + 2]);
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheConfiguredOsbuildDoesNotExist()
    {
        _cli.WriteProfile(Hub, Service);
        var text = await File.ReadAllTextAsync(fixture.ConfigPath);
        var config = _cli.WriteFile("kojicomposer.toml", text.Replace($"osbuild = \"{Standins}/osbuild\"", "osbuild = \"/opt/nowhere/osbuild\"", StringComparison.Ordinal));

        var result = await _cli.RunAsync("doctor", "--config", config);

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        var at = Index(lines, "FAIL  builder osbuild: ");
        Assert.Equal(
            [
                "FAIL  builder osbuild: osbuild not found: /opt/nowhere/osbuild does not exist",
                "      fix: install the osbuild package, or set builder.osbuild",
                $"ok    builder manifest generator: {Standins}/image-builder: image-builder 79",
            ],
            lines.Skip(at).Take(3));
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheServiceConfigIsInvalid_ListingEveryProblem()
    {
        _cli.WriteProfile(Hub, Service);
        var config = _cli.WriteFile("kojicomposer.toml", $"""
            [service]
            roles = ["scheduler", "bulder"]

            [hub]
            url = "{Hub}"
            timeout_seconds = 0

            [hub.host]
            principal = "{TestStack.HostPrincipal}"
            """);

        var result = await _cli.RunAsync("doctor", "--config", config);

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        Assert.Equal(
            [
                "FAIL  service config: 2 problems:",
                $"      {config}:2: service.roles: unknown role \"bulder\"; roles are \"scheduler\", \"builder\", \"hub-bridge\"; did you mean \"builder\"?",
                $"      {config}:6: hub.timeout_seconds: must be between 1 and 86400, got 0",
                $"      fix: correct the keys named above, then check again (kojicomposerd check-config --config {config} shows the same)",
            ],
            lines.Skip(1).Take(4));
        // The service's identities cannot be known, so they are not checked; the profile's still are.
        Assert.DoesNotContain(lines, l => l.Contains("(host)", StringComparison.Ordinal) || l.Contains("exclusive", StringComparison.Ordinal));
        Assert.Contains("ok    hub login (profile koji): logged in as releng (releng@KOJI.TEST)", lines);
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheCliConfigIsInvalid()
    {
        var profile = _cli.WriteUserConfig("""
            [koji]
            server = "koji.example.com/kojihub"
            poll_interval_seconds = 0
            """);

        var result = await _cli.RunAsync("doctor", "--config", fixture.ConfigPath);

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        Assert.Equal(
            [
                "FAIL  cli profile: 2 problems:",
                $"      {profile}:2: koji.server: must be an absolute http or https URL, got \"koji.example.com/kojihub\"",
                $"      {profile}:3: koji.poll_interval_seconds: must be between 0.1 and 600 seconds, got 0",
                "      fix: correct the keys named above (each line is file:line: profile.key: problem)",
            ],
            lines.Take(4));
        Assert.Contains("skip  kerberos (profile koji): needs a valid cli profile (see above)", lines);
        Assert.Contains("skip  service: needs a valid cli profile (see above)", lines);
        // The service's own set-up is still checked.
        Assert.Contains(HeldBySomeoneElse, lines);
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    private static int Index(IReadOnlyList<string> lines, string prefix)
    {
        var index = lines.ToList().FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line starts with \"{prefix}\":\n{string.Join("\n", lines)}");
        return index;
    }

    [GeneratedRegex(@"^ok    service builders: aarch64: kc-e2e:builder \(pid \d+, 2 workers; osbuild 191, image-builder 79\); ppc64le: kc-e2e:builder \(pid \d+, 2 workers; osbuild 191, image-builder 79\); s390x: kc-e2e:builder \(pid \d+, 2 workers; osbuild 191, image-builder 79\); x86_64: kc-e2e:builder \(pid \d+, 2 workers; osbuild 191, image-builder 79\)$")]
    private static partial Regex BuildersLine();
}
