namespace KojiComposer.Service.Tests;

/// <summary>A config file in a directory of its own, deleted afterwards; the embedded store lives there too, and so
/// do stand-ins for <c>osbuild</c> and <c>image-builder</c> (<c>{dir}/bin</c>) that answer the builder's start-up
/// check: <see cref="Tools"/> points <c>[builder]</c> at them.</summary>
public sealed class ServiceConfig : IDisposable
{
    public const string Hub = """

        [hub]
        url = "https://koji.example.com/kojihub"
        weburl = "https://koji.example.com/koji"
        [hub.host]
        principal = "compile/builder1.example.com@EXAMPLE.COM"
        [hub.content_generator]
        principal = "osbuild-cg@EXAMPLE.COM"
        """;

    /// <summary>Keys for a <c>[builder]</c> section: the stand-ins as osbuild and image-builder, the store and the
    /// build directories in this directory.</summary>
    public const string Tools = """
        osbuild = "{dir}/bin/osbuild"
        store_dir = "{dir}/store"
        work_dir = "{dir}/builds"
        generator.command = "{dir}/bin/image-builder"

        """;

    /// <param name="toml">The config; <c>{dir}</c> stands for <see cref="Directory"/>.</param>
    /// <param name="osbuildVersion">What the osbuild stand-in's <c>--version</c> says (<c>osbuild N</c>).</param>
    public ServiceConfig(string toml, int osbuildVersion = 191)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "kojicomposer.toml");
        File.WriteAllText(Path, toml.Replace("{dir}", Directory, StringComparison.Ordinal));
        var bin = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "bin")).FullName;
        // Only the start-up check runs them here: osbuild --version, and image-builder's version (YAML, as it prints).
        Script(System.IO.Path.Combine(bin, "osbuild"), $"echo \"osbuild {osbuildVersion}\"");
        Script(System.IO.Path.Combine(bin, "image-builder"), "printf 'image-builder:\\n  version: \"45\"\\n  commit: unknown\\n  dependencies:\\n    images: unknown\\n    osbuild: osbuild 191\\n'");
    }

    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kojicomposer-service-" + Guid.NewGuid().ToString("N"));

    public string Path { get; }

    /// <summary>An all-in-one config on the embedded store in this directory, listening on <paramref name="listen"/>.</summary>
    public static ServiceConfig AllInOne(string listen, int osbuildVersion = 191) => new($"""
        [service]
        shutdown_grace_seconds = 2
        [store]
        path = "{"{dir}"}/kojicomposer.db"
        [web]
        listen = ["{listen}"]
        [builder]
        {Tools}
        """ + Hub, osbuildVersion);

    /// <summary>Writes an executable shell script.</summary>
    public static void Script(string path, string body)
    {
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
