namespace KojiComposer.HubBridge.Calls;

/// <summary>One file of a task's output directory as <c>listTaskOutput(stat=True)</c> describes it (koji-wire.md
/// §8.5): its size and modification time, enough to tell whether it changed since it was last read.</summary>
/// <param name="Name">The file's name, relative to the task's directory.</param>
/// <param name="Size">Bytes (koji sends <c>st_size</c> as a string, XML-RPC ints being 32-bit).</param>
/// <param name="ModifiedAt">Seconds since the epoch (<c>st_mtime</c>, fractional).</param>
public sealed record KojiTaskOutputFile(string Name, long Size, double ModifiedAt);
