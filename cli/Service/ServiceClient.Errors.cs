using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Config.Cli;

namespace KojiComposer.Cli.Service;

public sealed partial class ServiceClient
{
    /// <summary>An error answer as one line: the API's Error object (composer's shape: <c>id</c>, <c>code</c>,
    /// <c>reason</c>, <c>details</c>) when it is one, else the status and the start of the body; for 401 and 403
    /// what to do about it.</summary>
    private ServiceException Refused(string what, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        JsonObject? error = null;
        try
        {
            error = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (error is null || !string.Equals(Text(error["kind"]), "Error", StringComparison.Ordinal))
        {
            var snippet = body.Length > 200 ? body[..200] + "…" : body;
            var text = snippet.ReplaceLineEndings(" ").Trim();
            if (status == 404)
            {
                // Not the API's "no such compose" (error 15): the URL leads to another web server, or a proxy's path
                // prefix is missing. Its page says nothing useful.
                return new ServiceException(
                    $"{what}: HTTP 404 {response.ReasonPhrase}, and not from the API; is {DisplayUrl} the KojiComposer service (its API is under {BasePath})? Otherwise fix service in profile [{_profile.Name}] or pass --server URL",
                    unreachable: false,
                    status);
            }

            return new ServiceException($"{what}: HTTP {status} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}{Hint(response, null)}", unreachable: false, status);
        }

        var reason = Text(error["reason"]) ?? "(no reason given)";
        var details = error["details"] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            var other => other.ToJsonString(),
        };
        var code = Text(error["code"]) ?? $"HTTP {status}";
        int? id = int.TryParse(Text(error["id"]), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var explained = details is { Length: > 0 } ? $"{reason}: {details}" : reason;
        return new ServiceException($"{what}: {explained} ({code}, HTTP {status}){Hint(response, details)}", unreachable: false, status, id)
        {
            Reason = reason,
            Details = details,
        };
    }

    /// <summary>What to do about a 401 (how to log in, by the profile's <c>service_auth</c> and what the service
    /// offers) or a 403 that is about the role.</summary>
    private string Hint(HttpResponseMessage response, string? details)
    {
        var profile = $"profile [{_profile.Name}]";
        if ((int)response.StatusCode == 403)
        {
            return details is not null && details.Contains("operator role", StringComparison.Ordinal)
                ? $"; {Who()} has the read-only role there: ask the service's admin for role = \"operator\""
                : "";
        }

        if ((int)response.StatusCode != 401)
        {
            return "";
        }

        var negotiate = Offers(response, "Negotiate");
        var basic = Offers(response, "Basic");
        return _profile.ServiceAuth switch
        {
            CliServiceAuth.Basic => $"; check service_user (\"{_profile.ServiceUser}\") and the password ({PasswordVariable}, else service_password_file) in {profile}",
            _ when _negotiate => $"; the service did not let {IdentityName()} in with Kerberos: kinit as a principal it knows ([[web.negotiate]]){(basic ? ", or set service_auth = \"basic\" with service_user" : "")}",
            CliServiceAuth.None or CliServiceAuth.Auto when negotiate || basic =>
                $"; log in: set service_auth = {(negotiate ? "\"negotiate\" (after kinit)" : "")}{(negotiate && basic ? " or " : "")}{(basic ? "\"basic\" with service_user and a password" : "")} in {profile}",
            _ => $"; log in: set service_auth in {profile} (\"negotiate\" after kinit, or \"basic\" with service_user)",
        };
    }

    private string Who() => _profile.ServiceAuth switch
    {
        CliServiceAuth.Basic => $"user {_profile.ServiceUser}",
        _ when _negotiate => IdentityName(),
        _ => "this machine (local requests)",
    };

    private string IdentityName() => _identity.Principal ?? "the principal of your credential cache";

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };
}
