namespace KojiComposer.HubSimulator;

/// <summary>Failure injection for CGImport, for tests of the import's retry rule.</summary>
public sealed partial class HubSimulator
{
    /// <summary>
    /// For CGImport's size check of an output (cg-import.md §4 step 5): given the file name and its real size, the
    /// size the hub sees. A hub whose replicas share the upload area over NFS can see a file shorter than the upload
    /// made it until its attribute cache catches up (osbuild-composer #3479); the import then fails with the stock
    /// <c>File size S for F (expected E) doesn't match. Corrupted upload?</c>. Null: the real size.
    /// </summary>
    public Func<string, long, long>? ImportSeesFileSize { get; set; }
}
