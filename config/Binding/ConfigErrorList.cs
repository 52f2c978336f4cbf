namespace KojiComposer.Config.Binding;

/// <summary>Collects every problem of one file, so a user fixes them in one round rather than one per start.</summary>
internal sealed class ConfigErrorList(string file)
{
    private readonly List<ConfigurationError> _errors = [];

    public string File { get; } = file;

    public bool HasErrors => _errors.Count > 0;

    public void Add(int? line, string key, string problem) => _errors.Add(new ConfigurationError(File, line, key, problem));

    /// <summary>Throws when any problem was recorded: errors in file order (a stable sort keeps the order of
    /// several problems on one line), then those without a line.</summary>
    /// <exception cref="ConfigurationException">At least one problem was recorded.</exception>
    public void ThrowIfAny()
    {
        if (HasErrors)
        {
            throw new ConfigurationException([.. _errors.OrderBy(e => e.Line ?? int.MaxValue)]);
        }
    }
}
