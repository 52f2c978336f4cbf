namespace KojiComposer.Service.Tests;

/// <summary>A config file in a directory of its own, deleted afterwards; the embedded store lives there too.</summary>
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

    public ServiceConfig(string toml)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "kojicomposer.toml");
        File.WriteAllText(Path, toml.Replace("{dir}", Directory, StringComparison.Ordinal));
    }

    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kojicomposer-service-" + Guid.NewGuid().ToString("N"));

    public string Path { get; }

    /// <summary>An all-in-one config on the embedded store in this directory, listening on <paramref name="listen"/>.</summary>
    public static ServiceConfig AllInOne(string listen) => new($"""
        [service]
        shutdown_grace_seconds = 2
        [store]
        path = "{"{dir}"}/kojicomposer.db"
        [web]
        listen = ["{listen}"]
        """ + Hub);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
