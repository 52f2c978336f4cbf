using System.Globalization;

namespace KojiComposer.HubSimulator;

/// <summary>
/// Stand-alone mode: <c>dotnet run --project tests/KojiComposer.HubSimulator -- [--port N] [--keytab FILE]
/// [--realm R] [--user NAME=PRINCIPAL]... [--host NAME=PRINCIPAL]... [--cg-user NAME=PRINCIPAL]...</c>
/// runs the simulated hub on loopback until Ctrl-C, for trying the CLI and service by hand.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new HubSimulatorOptions();
        var users = new List<(string Kind, string Name, string Principal)>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--port":
                    options = options with { Port = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--keytab":
                    options = options with { ServiceKeytab = Next() };
                    break;
                case "--realm":
                    options = options with { Realm = Next() };
                    break;
                case "--kojidir":
                    options = options with { KojiDir = Next() };
                    break;
                case "--user" or "--host" or "--cg-user":
                    var kind = args[i];
                    var pair = Next().Split('=', 2);
                    users.Add((kind, pair[0], pair.Length == 2 ? pair[1] : $"{pair[0]}@{options.Realm}"));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown option {args[i]}").ConfigureAwait(false);
                    return 2;
            }
        }

        await using var hub = await HubSimulator.StartAsync(options).ConfigureAwait(false);
        lock (hub.State.Sync)
        {
            foreach (var (kind, name, principal) in users)
            {
                switch (kind)
                {
                    case "--host":
                        hub.State.AddHost(name, principal, ["x86_64", "aarch64"], "image");
                        break;
                    case "--cg-user":
                        hub.State.AddUser(name, principal).ContentGenerators.Add("osbuild");
                        break;
                    default:
                        hub.State.AddUser(name, principal).Permissions.Add("image");
                        break;
                }
            }
        }

        Console.WriteLine($"koji hub simulator listening at {hub.Url}");
        var done = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            done.TrySetResult();
        };
        await done.Task.ConfigureAwait(false);
        return 0;
    }
}
