using System.Runtime.CompilerServices;

// The monitor parser, result classifier and process-group killer are tested on their own (InternalsVisibleTo may be
// repeated, so this does not clash with the same attribute elsewhere in the assembly).
[assembly: InternalsVisibleTo("KojiComposer.Builder.Tests")]
