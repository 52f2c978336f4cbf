namespace KojiComposer.HubBridge.Faults;

/// <summary>
/// Koji's fault codes (koji <c>koji/__init__.py</c>, each exception class carries a <c>faultCode</c>) and the factory
/// that maps a code to its exception class, as koji's <c>convertFault</c> does on the client side.
/// </summary>
public static class KojiFaults
{
    /// <summary>Any exception on the hub that is not a koji one (koji-wire.md §2.3).</summary>
    public const int HubInternal = 1;
    public const int GenericError = 1000;
    public const int LockError = 1001;
    public const int AuthError = 1002;
    public const int TagError = 1003;
    public const int ActionNotAllowed = 1004;
    public const int BuildError = 1005;
    public const int AuthLockError = 1006;
    public const int AuthExpired = 1007;
    public const int SequenceError = 1008;
    public const int RetryError = 1009;
    public const int PreBuildError = 1010;
    public const int PostBuildError = 1011;
    public const int BuildrootError = 1012;
    public const int FunctionDeprecated = 1013;
    public const int ServerOffline = 1014;
    public const int LiveCDError = 1015;
    public const int PluginError = 1016;
    public const int CallbackError = 1017;
    public const int ApplianceError = 1018;
    public const int ParameterError = 1019;
    public const int ImportError = 1020;
    public const int ConfigurationError = 1021;
    public const int LiveMediaError = 1022;
    public const int GSSAPIAuthError = 1023;
    public const int NameValidationError = 1024;

    private static readonly string[] Names =
    [
        "GenericError", "LockError", "AuthError", "TagError", "ActionNotAllowed", "BuildError", "AuthLockError",
        "AuthExpired", "SequenceError", "RetryError", "PreBuildError", "PostBuildError", "BuildrootError",
        "FunctionDeprecated", "ServerOffline", "LiveCDError", "PluginError", "CallbackError", "ApplianceError",
        "ParameterError", "ImportError", "ConfigurationError", "LiveMediaError", "GSSAPIAuthError",
        "NameValidationError",
    ];

    /// <summary>
    /// The Koji class name for <paramref name="code"/> (<c>BuildError</c> for 1005). Code 1 and unknown codes give
    /// <c>Fault</c>, which is what koji's own client shows for them (<c>FAILED: Fault: &lt;Fault 1: …&gt;</c>).
    /// </summary>
    public static string NameOf(int code) =>
        code is >= GenericError and <= NameValidationError ? Names[code - GenericError] : "Fault";

    /// <summary>The typed exception for a fault from the wire; unknown codes give the base class.</summary>
    public static KojiFaultException Create(int code, string message) => code switch
    {
        HubInternal => new KojiHubInternalFault(message),
        GenericError => new KojiGenericErrorFault(message),
        LockError => new KojiLockErrorFault(message),
        AuthError => new KojiAuthErrorFault(message),
        TagError => new KojiTagErrorFault(message),
        ActionNotAllowed => new KojiActionNotAllowedFault(message),
        BuildError => new KojiBuildErrorFault(message),
        AuthLockError => new KojiAuthLockErrorFault(message),
        AuthExpired => new KojiAuthExpiredFault(message),
        SequenceError => new KojiSequenceErrorFault(message),
        RetryError => new KojiRetryErrorFault(message),
        PreBuildError => new KojiPreBuildErrorFault(message),
        PostBuildError => new KojiPostBuildErrorFault(message),
        BuildrootError => new KojiBuildrootErrorFault(message),
        FunctionDeprecated => new KojiFunctionDeprecatedFault(message),
        ServerOffline => new KojiServerOfflineFault(message),
        LiveCDError => new KojiLiveCDErrorFault(message),
        PluginError => new KojiPluginErrorFault(message),
        CallbackError => new KojiCallbackErrorFault(message),
        ApplianceError => new KojiApplianceErrorFault(message),
        ParameterError => new KojiParameterErrorFault(message),
        ImportError => new KojiImportErrorFault(message),
        ConfigurationError => new KojiConfigurationErrorFault(message),
        LiveMediaError => new KojiLiveMediaErrorFault(message),
        GSSAPIAuthError => new KojiGSSAPIAuthErrorFault(message),
        NameValidationError => new KojiNameValidationErrorFault(message),
        _ => new KojiFaultException(code, message),
    };
}
