namespace KojiComposer.HubBridge.Faults;

/// <summary>1016 <c>PluginError</c> (koji <c>koji/__init__.py</c>): a hub plugin failed (e.g. koji-osbuild's argument checks).</summary>
public class KojiPluginErrorFault : KojiGenericErrorFault
{
    /// <summary>A <c>PluginError</c> with the hub's message.</summary>
    public KojiPluginErrorFault(string faultString)
        : base(KojiFaults.PluginError, "PluginError", faultString)
    {
    }

    /// <summary>Used by <see cref="KojiCallbackErrorFault"/>, which koji derives from <c>PluginError</c>.</summary>
    protected KojiPluginErrorFault(int faultCode, string faultName, string faultString)
        : base(faultCode, faultName, faultString)
    {
    }
}

/// <summary>1017 <c>CallbackError</c> (koji <c>koji/__init__.py</c>): a plugin callback run by the hub (pre/post event hooks) failed.</summary>
public sealed class KojiCallbackErrorFault(string faultString)
    : KojiPluginErrorFault(KojiFaults.CallbackError, "CallbackError", faultString);
