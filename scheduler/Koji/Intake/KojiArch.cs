namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// koji's <c>canonArch</c> (koji <c>koji/__init__.py</c>, osbuildimage-task.md §4 step 2): the canonical name of an
/// architecture as tags list it. Only the tag's arches are canonicalised, never the requested ones, so a tag with
/// <c>i686</c> accepts <c>i386</c> and refuses <c>i686</c>, as the stock builder does.
/// </summary>
internal static class KojiArch
{
    /// <summary>The canonical name of <paramref name="arch"/>.</summary>
    public static string Canonical(string arch)
    {
        // The rules in koji's order, each an fnmatch pattern there: i?86, athlon, ia32e, ppc64le, ppc64*, sparc64*,
        // sparc*, alpha*, arm*h*, arm*.
        if ((arch.Length == 4 && arch[0] == 'i' && arch.EndsWith("86", StringComparison.Ordinal)) || arch == "athlon")
        {
            return "i386";
        }

        if (arch == "ia32e")
        {
            return "x86_64";
        }

        if (arch == "ppc64le")
        {
            return "ppc64le";
        }

        if (arch.StartsWith("ppc64", StringComparison.Ordinal))
        {
            return "ppc64";
        }

        if (arch.StartsWith("sparc64", StringComparison.Ordinal))
        {
            return "sparc64";
        }

        if (arch.StartsWith("sparc", StringComparison.Ordinal))
        {
            return "sparc";
        }

        if (arch.StartsWith("alpha", StringComparison.Ordinal))
        {
            return "alpha";
        }

        if (arch.StartsWith("arm", StringComparison.Ordinal))
        {
            return arch.IndexOf('h', 3) >= 0 ? "armhfp" : "arm";
        }

        return arch;
    }
}
