namespace KojiComposer.HubBridge.Faults;

// Koji's exception classes all derive from GenericError (koji/__init__.py); the hierarchy is kept so that catching
// KojiGenericErrorFault catches every koji fault, as `except koji.GenericError` does in Python.

/// <summary>1000 <c>GenericError</c> (koji <c>koji/__init__.py</c>): koji's base error, used for most refusals ("No such build target: x").</summary>
public class KojiGenericErrorFault : KojiFaultException
{
    /// <summary>A <c>GenericError</c> with the hub's message.</summary>
    public KojiGenericErrorFault(string faultString)
        : base(KojiFaults.GenericError, "GenericError", faultString)
    {
    }

    /// <summary>Used by the koji classes that derive from <c>GenericError</c>.</summary>
    protected KojiGenericErrorFault(int faultCode, string faultName, string faultString)
        : base(faultCode, faultName, faultString)
    {
    }
}

/// <summary>1001 <c>LockError</c> (koji <c>koji/__init__.py</c>): a lock is held by someone else, e.g. an upload file by a concurrent writer.</summary>
public sealed class KojiLockErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.LockError, "LockError", faultString);

/// <summary>1003 <c>TagError</c> (koji <c>koji/__init__.py</c>): a tagging operation was refused ("Package X not in list for Y").</summary>
public sealed class KojiTagErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.TagError, "TagError", faultString);

/// <summary>1004 <c>ActionNotAllowed</c> (koji <c>koji/__init__.py</c>): the session lacks a permission or does not own the object.</summary>
public sealed class KojiActionNotAllowedFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.ActionNotAllowed, "ActionNotAllowed", faultString);

/// <summary>1013 <c>FunctionDeprecated</c> (koji <c>koji/__init__.py</c>): the called hub method is deprecated and switched off.</summary>
public sealed class KojiFunctionDeprecatedFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.FunctionDeprecated, "FunctionDeprecated", faultString);

/// <summary>
/// 1014 <c>ServerOffline</c> (koji <c>koji/__init__.py</c>): the hub is offline for maintenance or lost its database. The only transient fault:
/// the same call may work later.
/// </summary>
public sealed class KojiServerOfflineFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.ServerOffline, "ServerOffline", faultString);

/// <summary>1019 <c>ParameterError</c> (koji <c>koji/__init__.py</c>): wrong argument count or an unknown keyword for the called method.</summary>
public sealed class KojiParameterErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.ParameterError, "ParameterError", faultString);

/// <summary>1020 <c>ImportError</c> (koji <c>koji/__init__.py</c>): importing a build or archive failed ("Build does not have type image").</summary>
public sealed class KojiImportErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.ImportError, "ImportError", faultString);

/// <summary>1021 <c>ConfigurationError</c> (koji <c>koji/__init__.py</c>): koji configuration could not be loaded or is inconsistent.</summary>
public sealed class KojiConfigurationErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.ConfigurationError, "ConfigurationError", faultString);

/// <summary>1024 <c>NameValidationError</c> (koji <c>koji/__init__.py</c>): a name (tag, package, …) does not pass the hub's naming rules.</summary>
public sealed class KojiNameValidationErrorFault(string faultString)
    : KojiGenericErrorFault(KojiFaults.NameValidationError, "NameValidationError", faultString);
