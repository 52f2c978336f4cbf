namespace KojiComposer.HubBridge.Faults;

/// <summary>
/// 1005 <c>BuildError</c> (koji <c>koji/__init__.py</c>): a build failed ("Compose failed (id: …)", "Unable to increment release value"). Koji
/// derives the pre-build, post-build and buildroot errors from it.
/// </summary>
public class KojiBuildErrorFault : KojiGenericErrorFault
{
    /// <summary>A <c>BuildError</c> with the hub's message.</summary>
    public KojiBuildErrorFault(string faultString)
        : base(KojiFaults.BuildError, "BuildError", faultString)
    {
    }

    /// <summary>Used by the koji classes that derive from <c>BuildError</c>.</summary>
    protected KojiBuildErrorFault(int faultCode, string faultName, string faultString)
        : base(faultCode, faultName, faultString)
    {
    }
}

/// <summary>1010 <c>PreBuildError</c> (koji <c>koji/__init__.py</c>): a build failed its checks before it started.</summary>
public sealed class KojiPreBuildErrorFault(string faultString)
    : KojiBuildErrorFault(KojiFaults.PreBuildError, "PreBuildError", faultString);

/// <summary>1011 <c>PostBuildError</c> (koji <c>koji/__init__.py</c>): a build failed its checks after it ran.</summary>
public sealed class KojiPostBuildErrorFault(string faultString)
    : KojiBuildErrorFault(KojiFaults.PostBuildError, "PostBuildError", faultString);

/// <summary>1012 <c>BuildrootError</c> (koji <c>koji/__init__.py</c>): the buildroot could not be set up or used.</summary>
public sealed class KojiBuildrootErrorFault(string faultString)
    : KojiBuildErrorFault(KojiFaults.BuildrootError, "BuildrootError", faultString);

/// <summary>1015 <c>LiveCDError</c> (koji <c>koji/__init__.py</c>): creating a LiveCD image failed.</summary>
public sealed class KojiLiveCDErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.LiveCDError, "LiveCDError", faultString);

/// <summary>1018 <c>ApplianceError</c> (koji <c>koji/__init__.py</c>): creating an appliance image failed.</summary>
public sealed class KojiApplianceErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.ApplianceError, "ApplianceError", faultString);

/// <summary>1022 <c>LiveMediaError</c> (koji <c>koji/__init__.py</c>): creating a live media image failed.</summary>
public sealed class KojiLiveMediaErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.LiveMediaError, "LiveMediaError", faultString);
