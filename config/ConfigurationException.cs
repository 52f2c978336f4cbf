namespace KojiComposer.Config;

/// <summary>
/// The configuration could not be read or is invalid. <see cref="Errors"/> lists every problem found; the message
/// is those problems, one line each, in file order.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception from at least one error.</summary>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public ConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(string.Join('\n', errors))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one error.", nameof(errors));
        }

        Errors = errors;
    }

    /// <summary>Every problem found, in file order; problems without a line come last.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }
}
