using System.Text.RegularExpressions;
using KojiComposer.Config;
using KojiComposer.Testing;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Cli.Tests.Doctor;

/// <summary><c>kojicomposer doctor</c> where no kojicomposerd runs: a hub that is not there, a host outside channel
/// <c>image</c>, a builder machine with a PostgreSQL store.</summary>
public sealed partial class DoctorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Standins => Path.Combine(AppContext.BaseDirectory, "standins");

    [Fact]
    public async Task Doctor_Fails_WhenTheHubIsNotThere()
    {
        var hub = new Uri("http://localhost:9/kojihub");
        var profile = _cli.WriteProfile(hub);

        var result = await _cli.RunAsync("doctor");

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        Assert.Equal(
            [
                $"ok    cli profile: [koji]: hub {hub}, service none (read {profile})",
                $"skip  service config: {KojiComposerConfiguration.DefaultPath} does not exist, so this machine runs no kojicomposerd; pass --config FILE to check a service's set-up",
                $"ok    kerberos (profile koji): releng@KOJI.TEST (keytab {TestStack.Keytab("releng")}): ticket for HTTP/localhost obtained",
            ],
            lines.Take(3));
        Assert.StartsWith($"FAIL  hub: koji hub {hub}: getKojiVersion: Connection refused", lines[3], StringComparison.Ordinal);
        Assert.Equal(
            [
                "      fix: check the hub's URL (server in the profile, [hub] url in the service config) and that the hub is up",
                $"skip  hub login (profile koji): {hub} does not answer (see above)",
                "warn  service: [koji] names no KojiComposer service; compose commands need one, and watch shows less without it",
                "      fix: set service = \"https://kojicomposer.example.com\" in [koji], or pass --server URL",
            ],
            lines.Skip(4));
    }

    [Fact]
    public async Task Doctor_Fails_WhenTheHostIsNotInTheImageChannel_AndReleasesTheExclusiveSessionItGot()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var builder1 = hub.Builder1;
        hub.Hub.Seed(state => state.Hosts[builder1.Id].Channels.Remove(state.Channels["image"]));
        _cli.WriteProfile(hub.Url);
        var store = Path.Combine(_cli.Home, "state");
        var config = _cli.WriteFile("kojicomposer.toml", $"""
            [service]
            roles = ["scheduler", "hub-bridge"]
            [store]
            path = "{store}/kojicomposer.db"
            [hub]
            url = "{hub.Url}"
            [hub.host]
            principal = "{TestStack.HostPrincipal}"
            keytab = "{TestStack.Keytab("builder1")}"
            [hub.content_generator]
            principal = "{TestStack.ContentGeneratorPrincipal}"
            keytab = "{TestStack.Keytab("osbuild-cg")}"
            """);

        var result = await _cli.RunAsync("doctor", "--config", config);

        Assert.Equal(ExitCodes.Failure, result.Code);
        var lines = result.OutLines;
        Assert.Equal(
            [
                $"ok    hub: {hub.Url} answers: Koji 1.35.3, API version 1",
                "ok    hub login (profile koji): logged in as releng (releng@KOJI.TEST)",
                "ok    hub exclusive session: builder1.koji.test got it and released it: no kojicomposerd holds it right now",
                $"FAIL  hub host: builder1.koji.test (id {builder1.Id}): enabled, arches x86_64 aarch64, channels default; not in channel image, where Koji puts osbuildImage tasks",
                "      fix: a Koji admin adds it: koji add-host-to-channel builder1.koji.test image",
                "ok    hub content generator: logged in as osbuild-cg (osbuild-cg@KOJI.TEST)",
            ],
            lines.SkipWhile(l => !l.StartsWith("ok    hub: ", StringComparison.Ordinal)).Take(6));
        Assert.Contains($"warn  store: embedded store {store}/kojicomposer.db: directory {store} does not exist", lines);
        Assert.False(hub.Hub.Read(s => s.Sessions.Values.Any(x => x.Exclusive && !x.Closed)), "the doctor left an exclusive session open");
        Assert.Empty(hub.Hub.CallsTo("exclusiveSession").Single().Params);
    }

    [Fact]
    public async Task Doctor_OnABuilderMachine_OpensThePostgreSqlStore_AndRunsTheBuildersTools()
    {
        var work = Path.Combine(_cli.Home, "builder");
        var config = _cli.WriteFile("kojicomposer.toml", $"""
            [service]
            roles = ["builder"]
            [store]
            kind = "postgresql"
            connection_string = "{TestStack.PostgresConnectionString}"
            [builder]
            arches = ["x86_64"]
            osbuild = "{Standins}/osbuild"
            store_dir = "{work}/store"
            work_dir = "{work}/builds"
            generator.command = "{Standins}/image-builder"
            """);

        var result = await _cli.RunAsync("doctor", "--config", config);

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        var lines = result.OutLines;
        var store = Assert.Single(lines, l => l.StartsWith("ok    store: ", StringComparison.Ordinal));
        Assert.True(PostgresLine().IsMatch(store), store);
        Assert.Equal(
            [
                $"ok    builder osbuild: {Standins}/osbuild: osbuild 191 (at least 190 needed)",
                $"ok    builder manifest generator: {Standins}/image-builder: image-builder 79",
                $"ok    builder directories: store_dir {work}/store and work_dir {work}/builds writable ({work}/store, {work}/builds created by the worker at start)",
            ],
            lines.TakeLast(3));
        Assert.DoesNotContain(lines, l => l.Contains("Password", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Doctor_GoesOn_WhenTheServiceClientCannotBeMade_AndStillPrintsItsJson()
    {
        var notPem = _cli.WriteFile("not.pem", "garbage\n");
        var profile = _cli.WriteProfile(new Uri("http://localhost:9/kojihub"), new Uri("https://127.0.0.1:9"), extra: $"service_ca_bundle = \"{notPem}\"");

        var result = await _cli.RunAsync("--format", "json", "doctor");

        Assert.Equal(ExitCodes.Failure, result.Code);
        Assert.Equal("", result.Error);
        var checks = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!.AsArray();
        var service = Assert.Single(checks, c => (string)c!["check"]! == "service")!;
        Assert.Equal("fail", (string)service["status"]!);
        Assert.Equal($"{profile}: koji.service_ca_bundle: {notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", (string)service["detail"]!);
    }

    [Fact]
    public async Task Doctor_NeverPrintsThePasswordOfAUrl()
    {
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"));

        var result = await _cli.RunAsync("doctor", "--server", "http://someone:Secret-4Kp@127.0.0.1:9");

        Assert.Equal(ExitCodes.Failure, result.Code);
        Assert.StartsWith("ok    cli profile: [koji]: hub http://localhost:9/kojihub, service http://127.0.0.1:9/ (read ", result.OutLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-4Kp", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ChecksTheSelectedProfile_AndWarnsAboutProblemsInTheOthers()
    {
        var hub = new Uri("http://localhost:9/kojihub");
        var path = _cli.WriteProfile(hub, extra: "[stg]\nserver = \"https://koji.stg.example.com/kojihub\"\nkeytab = \"/nonexistent/stg.keytab\"\nprincipal = \"releng@STG.EXAMPLE.COM\"\n");
        var keytabLine = File.ReadAllLines(path).ToList().FindIndex(l => l.StartsWith("keytab = \"/nonexistent", StringComparison.Ordinal)) + 1;

        var result = await _cli.RunAsync("doctor");

        var lines = result.OutLines;
        Assert.Equal($"ok    cli profile: [koji]: hub {hub}, service none (read {path})", lines[0]);
        Assert.Equal(
            [
                "warn  cli other profiles: [stg]: 1 problem, which matter only when chosen with -p, not for [koji]:",
                $"      {path}:{keytabLine}: stg.keytab: cannot read keytab \"/nonexistent/stg.keytab\": No such file or directory",
                "      fix: correct the keys named above, or remove the profiles nobody uses here",
            ],
            lines.Skip(1).Take(3));
        Assert.Contains(lines, l => l.StartsWith("ok    kerberos (profile koji): ", StringComparison.Ordinal));
    }

    [Fact]
    public void Doctor_GivesAHubAtMostTwoAttemptsOfTenSeconds_WhateverTheProfileAllows()
    {
        var patient = new KojiComposer.HubBridge.Transport.KojiHubOptions
        {
            Url = new Uri("https://koji.example.com/kojihub"),
            RequestTimeout = TimeSpan.FromMinutes(5),
            Retry = new KojiComposer.HubBridge.Transport.KojiRetryOptions { Attempts = 10 },
        };

        var bounded = KojiComposer.Cli.Doctor.HubCheck.Bounded(patient);

        Assert.Equal(TimeSpan.FromSeconds(10), bounded.RequestTimeout);
        Assert.Equal(2, bounded.Retry.Attempts);
    }

    [GeneratedRegex(@"^ok    store: PostgreSQL store \(host 127\.0\.0\.1:\d+, database postgres\): connection opens \(PostgreSQL \d+(\.\d+)*\); schema kojicomposer (exists|not created yet \(kojicomposerd creates it\))$")]
    private static partial Regex PostgresLine();
}
