using KojiComposer.Scheduler.Hosting;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Web.Access;

/// <summary>Who made a request that the access check let through, and with what role.</summary>
/// <param name="Name">User name, Kerberos principal, or <c>local</c>.</param>
/// <param name="Role">What they may do.</param>
/// <param name="Method">How they were recognised: <c>local</c>, <c>basic</c> or <c>negotiate</c>.</param>
public sealed record WebIdentity(string Name, WebRole Role, string Method)
{
    /// <summary>True for operators.</summary>
    public bool IsOperator => Role == WebRole.Operator;

    /// <summary>The identity the access middleware attached to <paramref name="http"/>, or null.</summary>
    public static WebIdentity? Of(HttpContext http) => http.Features.Get<WebIdentity>();
}
