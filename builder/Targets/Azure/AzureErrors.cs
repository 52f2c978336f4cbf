using System.Net.Sockets;
using Azure;
using Azure.Identity;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>
/// Turns what the Azure SDKs throw into the target's failures (cloud-targets.md §4): the step's error code, the
/// cloud's reason (ARM's or the storage service's message and error code, first line only: the SDKs append response
/// headers and content, which we keep out of messages) and whether trying again may help (HTTP 408, 429, 5xx, a
/// dropped connection or a timeout are transient).
/// </summary>
internal static class AzureErrors
{
    /// <summary>True when <paramref name="e"/> is something this class maps (not a bug, not cancellation).</summary>
    public static bool IsAzureFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or HttpRequestException or IOException or SocketException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested); // an SDK network timeout

    /// <summary>The failure of step <paramref name="what"/> with code <paramref name="code"/>.</summary>
    public static TargetFailedException Fail(int code, string what, Exception e) => e switch
    {
        // Entra ID refused the service principal (wrong secret, unknown client or tenant): configuration.
        AuthenticationFailedException or CredentialUnavailableException =>
            new TargetFailedException(JobErrorCodes.InvalidTargetConfig, $"{what}: Microsoft Entra ID did not give the service principal a token: {EntraReason(e)}",
                IsNetwork(e.InnerException), e),
        RequestFailedException r => new TargetFailedException(code, $"{what}: {Describe(r)}", IsTransient(r), e),
        OperationCanceledException => new TargetFailedException(code, $"{what}: the request timed out", isTransient: true, e),
        _ => new TargetFailedException(code, $"{what}: {FirstLine(e.Message)}", isTransient: true, e),
    };

    /// <summary>HTTP 408, 429, 5xx or no response at all (status 0: the connection failed).</summary>
    public static bool IsTransient(RequestFailedException e) => e.Status == 0 || TargetFailedException.IsTransientStatus(e.Status);

    private static string Describe(RequestFailedException e)
    {
        var text = FirstLine(e.Message);
        var status = e.Status == 0 ? "no response" : $"HTTP {e.Status}";
        return string.IsNullOrEmpty(e.ErrorCode) || text.Contains(e.ErrorCode, StringComparison.Ordinal)
            ? $"{text} ({status})"
            : $"{text} ({status}, {e.ErrorCode})";
    }

    // Azure.Identity's own message is a bare "ClientSecretCredential authentication failed:"; MSAL's inner message
    // ends with the server's reason (AADSTS code and description).
    private static string EntraReason(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            var at = inner.Message.IndexOf("AADSTS", StringComparison.Ordinal);
            if (at >= 0)
            {
                return FirstLine(inner.Message[at..]);
            }
        }

        return e.InnerException is { } cause ? FirstLine(cause.Message) : FirstLine(e.Message);
    }

    private static bool IsNetwork(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException || (e is RequestFailedException r && IsTransient(r)))
            {
                return true;
            }
        }

        return false;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 0 ? line : message.Trim();
    }
}
