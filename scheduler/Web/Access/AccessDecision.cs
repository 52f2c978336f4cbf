namespace KojiComposer.Scheduler.Web.Access;

/// <summary>What <see cref="AccessPolicy.Decide"/> concluded about one request.</summary>
internal enum AccessVerdict
{
    /// <summary>Let it through as <see cref="AccessDecision.Identity"/>.</summary>
    Granted,

    /// <summary>401: credentials missing or wrong; challenge with Basic and/or Negotiate.</summary>
    Challenge,

    /// <summary>403: remote access is off, or the principal has no role here.</summary>
    Refused,
}

/// <summary>The access check's result.</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="Identity">Who, when granted.</param>
/// <param name="Reason">Why not, for the response (never a secret).</param>
/// <param name="NegotiateReply">The final SPNEGO token for <c>WWW-Authenticate</c> (mutual authentication).</param>
internal sealed record AccessDecision(AccessVerdict Verdict, WebIdentity? Identity = null, string? Reason = null, byte[]? NegotiateReply = null)
{
    public static AccessDecision Grant(WebIdentity identity, byte[]? negotiateReply = null) => new(AccessVerdict.Granted, identity, NegotiateReply: negotiateReply);

    public static AccessDecision Challenge(string reason) => new(AccessVerdict.Challenge, Reason: reason);

    public static AccessDecision Refuse(string reason) => new(AccessVerdict.Refused, Reason: reason);
}
