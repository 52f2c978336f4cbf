namespace KojiComposer.Cli.Doctor;

/// <summary>How one check of <c>kojicomposer doctor</c> came out.</summary>
internal enum CheckStatus
{
    /// <summary>Works.</summary>
    Ok,

    /// <summary>Works, or may, but someone should look (the fix says what to do).</summary>
    Warn,

    /// <summary>Does not work; <c>doctor</c> exits with <see cref="ExitCodes.Failure"/>.</summary>
    Fail,

    /// <summary>Not checked: what it needs is absent or failed above (the detail says which).</summary>
    Skip,
}

/// <summary>One check's outcome: its name (<c>kerberos (host)</c>), what was found, and for a warning or failure what to
/// do about it. Never holds a secret: only names, paths, URLs and the servers' own messages.</summary>
/// <param name="Check">The check's stable name.</param>
/// <param name="Status">How it came out.</param>
/// <param name="Detail">What was found; may span lines (a config file's errors, one a line).</param>
/// <param name="Fix">What to do, for <see cref="CheckStatus.Warn"/> and <see cref="CheckStatus.Fail"/>.</param>
internal sealed record CheckResult(string Check, CheckStatus Status, string Detail, string? Fix = null)
{
    public static CheckResult Ok(string check, string detail) => new(check, CheckStatus.Ok, detail);

    public static CheckResult Warn(string check, string detail, string fix) => new(check, CheckStatus.Warn, detail, fix);

    public static CheckResult Fail(string check, string detail, string fix) => new(check, CheckStatus.Fail, detail, fix);

    public static CheckResult Skip(string check, string detail) => new(check, CheckStatus.Skip, detail);

    /// <summary>The status as printed: <c>ok</c>, <c>warn</c>, <c>FAIL</c>, <c>skip</c> (text) — JSON uses lower case.</summary>
    public string Label => Status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "FAIL",
        _ => "skip",
    };
}
