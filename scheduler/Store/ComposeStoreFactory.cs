using KojiComposer.Scheduler.Hosting;

namespace KojiComposer.Scheduler.Store;

/// <summary>Makes the <see cref="IComposeStore"/> that <see cref="StoreSettings"/> names.</summary>
public static class ComposeStoreFactory
{
    /// <summary>Creates the store (without migrating it).</summary>
    /// <exception cref="ArgumentException">The settings are incomplete for their kind.</exception>
    public static IComposeStore Create(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        throw new NotSupportedException($"the {settings.Kind} compose store is not built yet");
    }
}
