namespace KojiComposer.HubSimulator;

/// <summary>
/// A fault the simulated hub answers with, as kojihub raises a koji.GenericError subclass: code and text exactly as
/// observed on a stock hub (spec observed/koji-hub-edge-cases.txt). Raising it rolls the call back: no call
/// number is stored, nothing the handler changed is kept (handlers check before they change).
/// </summary>
public sealed class HubFault : Exception
{
    public HubFault(int code, string message)
        : base(message)
    {
        Code = code;
    }

    public int Code { get; }

    public static HubFault Generic(string message) => new(1000, message);

    public static HubFault Auth(string message) => new(1002, message);

    public static HubFault NotAllowed(string message) => new(1004, message);

    public static HubFault Parameter(string message) => new(1019, message);

    /// <summary>What kojihub answers for a Python exception that is not a koji error: code 1, class and text.</summary>
    public static HubFault Python(string pythonClass, string message) => new(1, $"<class '{pythonClass}'>: {message}");
}
