namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>One step of the path to the value being written: a struct member name or an array index.</summary>
internal readonly record struct PathSegment(string? Name, int Index);
