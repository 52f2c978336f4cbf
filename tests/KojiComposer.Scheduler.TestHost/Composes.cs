using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.TestHost;

/// <summary>Compose requests for engine tests.</summary>
public static class Composes
{
    private static long _task = 5000;

    /// <summary>A Koji compose of <paramref name="arches"/> x <paramref name="types"/> images.</summary>
    public static NewCompose Koji(string[]? arches = null, string[]? types = null, string name = "Fedora-Cloud")
    {
        arches ??= ["x86_64", "aarch64"];
        types ??= ["guest-image", "aws"];
        var images = (from arch in arches
                      from type in types
                      select new NewComposeImage(arch, type, new JsonObject
                      {
                          ["architecture"] = arch,
                          ["image_type"] = type,
                          ["repositories"] = new JsonArray(new JsonObject { ["baseurl"] = $"https://repo.example.com/{arch}" }),
                      })).ToList();
        return new NewCompose
        {
            Name = name,
            Version = "42",
            Release = "1",
            Distribution = "fedora-42",
            KojiTaskId = Interlocked.Increment(ref _task),
            KojiServer = "https://koji.example.com/kojihub",
            Images = images,
            Seed = 42,
        };
    }
}
