using System.Globalization;
using System.Text;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.HubSimulator.Http;

/// <summary>
/// The hub's HTTP face (koji-wire.md §1): POST only; <c>application/octet-stream</c> routes to the upload handler;
/// everything else is an XML-RPC call; faults are HTTP 200; <c>Koji-Version</c> on every reply.
/// </summary>
internal sealed partial class HubEndpoint(HubSimulator hub)
{
    private const string XmlContentType = "text/xml";

    public async Task HandleAsync(HttpContext http)
    {
        http.Response.Headers["Koji-Version"] = hub.Options.Version;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await PlainAsync(http, 405, "Method Not Allowed").ConfigureAwait(false);
            return;
        }

        if (hub.AnswerHtml)
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/html; charset=UTF-8";
            await http.Response.WriteAsync("<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>\n").ConfigureAwait(false);
            return;
        }

        var path = http.Request.Path.Value ?? string.Empty;
        var login = path.EndsWith("/ssllogin", StringComparison.Ordinal);
        if (!login && !path.EndsWith("/kojihub", StringComparison.Ordinal))
        {
            await PlainAsync(http, 404, "Not Found").ConfigureAwait(false);
            return;
        }

        if (string.Equals(http.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            await HandleUploadAsync(http).ConfigureAwait(false);
            return;
        }

        await HandleRpcAsync(http, login).ConfigureAwait(false);
    }

    private static async Task PlainAsync(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain";
        await http.Response.WriteAsync(text).ConfigureAwait(false);
    }

    private async Task HandleRpcAsync(HttpContext http, bool login)
    {
        var body = await ReadBodyAsync(http, hub.Options.MaxRequestLength + 1).ConfigureAwait(false);
        if (body.Length == 0)
        {
            await PlainAsync(http, 400, "Empty request").ConfigureAwait(false);
            return;
        }

        XmlRpcMethodCall request;
        try
        {
            request = XmlRpcReader.ReadMethodCall(body);
        }
        catch (XmlRpcFormatException e)
        {
            await PlainAsync(http, 400, "Invalid request: " + e.Message).ConfigureAwait(false);
            return;
        }

        if (hub.FailRpcWithStatus?.Invoke(request.MethodName) is { } status)
        {
            if (status is >= 300 and < 400 && hub.RedirectTo is { } location)
            {
                http.Response.Headers.Location = location.AbsoluteUri;
            }

            await PlainAsync(http, status, $"simulated HTTP {status}").ConfigureAwait(false);
            return;
        }

        object? result = null;
        HubFault? fault = null;
        SessionLookup lookup = default;
        byte[]? loginReplyToken = null;
        try
        {
            if (body.Length > hub.Options.MaxRequestLength)
            {
                throw HubFault.Generic("Request too long");
            }

            if (login)
            {
                var negotiate = AcceptNegotiate(http);
                if (negotiate is null)
                {
                    await UnauthorizedAsync(http).ConfigureAwait(false);
                    return;
                }

                loginReplyToken = negotiate.Value.ReplyToken;
                lookup = ResolveSession(http);
                result = Login(http, request, negotiate.Value.Principal, lookup);
            }
            else
            {
                lookup = ResolveSession(http);
                result = Run(http, request, lookup);
            }
        }
        catch (HubFault f)
        {
            fault = f;
        }

        Record(http, request.MethodName, request.Params, body, lookup, result, fault);

        if (fault is null && hub.DropReplyAfterRunning?.Invoke(request.MethodName) == true)
        {
            http.Abort();
            return;
        }

        // Apache finishes GSSAPI before the hub runs, so the AP-REP comes back even when sslLogin answers a fault.
        if (loginReplyToken is not null)
        {
            switch (hub.Options.MutualAuth)
            {
                case MutualAuthMode.Normal:
                    http.Response.Headers.WWWAuthenticate = "Negotiate " + Convert.ToBase64String(loginReplyToken);
                    break;
                case MutualAuthMode.Garbage:
                    http.Response.Headers.WWWAuthenticate = "Negotiate " + Convert.ToBase64String(Encoding.ASCII.GetBytes("not an AP-REP at all"));
                    break;
            }
        }

        await ReplyAsync(http, request.MethodName, result, fault).ConfigureAwait(false);
    }

    /// <summary>Remembers one request and the hub's answer for tests (uploads: no params, no body).</summary>
    private void Record(HttpContext http, string method, object?[] parameters, byte[] body, SessionLookup lookup, object? result, HubFault? fault) =>
        hub.Record(new RecordedCall
        {
            Method = method,
            Params = parameters,
            Body = body,
            SessionId = lookup.ClaimedId,
            CallNumber = lookup.CallNumber,
            SessionVia = lookup.Via,
            Query = http.Request.QueryString.Value ?? string.Empty,
            FaultCode = fault?.Code,
            FaultString = fault?.Message,
            Result = result,
            At = hub.Time.GetUtcNow(),
        });

    /// <summary>HTTP 200 with the methodResponse: the value, or the fault (faults are 200 too, koji-wire.md §1).</summary>
    private async Task ReplyAsync(HttpContext http, string method, object? result, HubFault? fault)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = XmlContentType;
        var buffer = new MemoryStream();
        if (fault is null)
        {
            XmlRpcWriter.WriteMethodResponse(buffer, result);
        }
        else
        {
            XmlRpcWriter.WriteFault(buffer, fault.Code, fault.Message);
        }

        var length = (int)buffer.Length;
        if (hub.TruncateReply?.Invoke(method) == true)
        {
            length /= 2;
        }

        http.Response.ContentLength = length;
        await http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, length)).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                // Keep reading to the end so the client sees a reply, but only remember up to the limit.
                continue;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private object? Run(HttpContext http, XmlRpcMethodCall request, SessionLookup lookup)
    {
        if (hub.Offline)
        {
            throw new HubFault(1014, "server is offline");
        }

        var (positional, keywords) = KojiArguments.Split(request.Params);
        lock (hub.State.Sync)
        {
            var session = Authorize(lookup, request.MethodName);
            var call = new CallContext(hub, request.MethodName, positional, keywords, session, ClientAddress(http));
            var result = Dispatch(call);
            if (call.Committed && session is not null && lookup.CallNumber is { } n)
            {
                session.StoredCallNumber = n;
            }

            return result;
        }
    }

    internal object? Dispatch(CallContext call)
    {
        if (!hub.Dispatcher.TryGet(call.Method, out var handler))
        {
            throw HubFault.Generic($"Invalid method: {call.Method}");
        }

        return handler(call);
    }

    internal static string ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
