using System.Net.Sockets;
using System.Security.Authentication;
using Amazon.Runtime;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// What an AWS SDK failure means for a target: the service's reason (its error code and message, which never carry
/// the caller's keys) and whether trying again may help (cloud-targets.md §1.1: throttling, 5xx and dropped
/// connections are transient, as are HTTP 408 and 429; a bad certificate, a missing bucket or a refused permission are not).
/// </summary>
internal static class AwsErrors
{
    // AWS's throttling and "try later" error codes across S3 and EC2.
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestLimitExceeded",
        "RequestThrottled", "SlowDown", "TooManyRequestsException", "RequestTimeout", "RequestTimeoutException",
        "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable", "BandwidthLimitExceeded",
        "EC2ThrottledException", "PriorRequestNotComplete",
    };

    /// <summary>True when <paramref name="error"/> is worth another try.</summary>
    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TargetFailedException failed:
                    return failed.IsTransient;
                case AuthenticationException:
                    return false;
                case AmazonServiceException service when TargetFailedException.IsTransientStatus((int)service.StatusCode):
                    return true;
                case AmazonServiceException service when service.ErrorCode is not null && TransientCodes.Contains(service.ErrorCode):
                    return true;
                case AmazonServiceException service when (int)service.StatusCode is >= 400 and < 500:
                    return false;
                case HttpRequestException or SocketException or IOException or TimeoutException:
                    return !HasAuthenticationFailure(e);
                case TaskCanceledException:
                    return true; // an HTTP timeout; a real cancellation is filtered out by the callers first
            }
        }

        return false;
    }

    /// <summary>The service's reason: <c>NoSuchBucket: The specified bucket does not exist</c>, or the network
    /// error's message.</summary>
    public static string Reason(Exception error)
    {
        if (error is AmazonServiceException { ErrorCode: { Length: > 0 } code } service)
        {
            return $"{code}: {service.Message}";
        }

        if (error is AmazonServiceException { StatusCode: var status } plain && (int)status > 0)
        {
            return $"HTTP {(int)status}: {plain.Message}";
        }

        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message, StringComparer.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(": ", messages);
    }

    /// <summary>True when <paramref name="error"/> is the caller's cancellation (not an HTTP timeout).</summary>
    public static bool IsCancellation(Exception error, CancellationToken cancellationToken) =>
        error is OperationCanceledException && cancellationToken.IsCancellationRequested;

    /// <summary>The SDK found no credentials (default chain empty, profile unusable): a configuration error.</summary>
    public static bool IsMissingCredentials(Exception error) =>
        error is AmazonClientException
        && error.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase)
        && !IsTransient(error);

    /// <summary><paramref name="error"/> as a target failure of class <paramref name="code"/>, or a configuration
    /// failure when the SDK found no credentials.</summary>
    public static TargetFailedException Failure(int code, string what, Exception error) =>
        error is TargetFailedException failed
            ? failed
            : IsMissingCredentials(error)
                ? TargetFailedException.Config($"{what}: no usable AWS credentials: {Reason(error)}")
                : new TargetFailedException(code, $"{what}: {Reason(error)}", IsTransient(error), error);

    private static bool HasAuthenticationFailure(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }
}
