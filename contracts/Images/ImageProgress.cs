namespace KojiComposer.Contracts.Images;

/// <summary>
/// How far one image build is, from osbuild's monitor (osbuild-run.md §3): the outer counter (sources and
/// pipelines), the current stage's name, and the nested counter (stages of the current pipeline).
/// </summary>
/// <param name="Done">Finished units of the outer counter.</param>
/// <param name="Total">All units of the outer counter.</param>
/// <param name="Stage">What runs now, e.g. <c>pipeline: os</c> or <c>org.osbuild.rpm</c>; null when unknown.</param>
/// <param name="SubDone">Finished units of the nested counter, or null.</param>
/// <param name="SubTotal">All units of the nested counter, or null.</param>
public sealed record ImageProgress(int Done, int Total, string? Stage = null, int? SubDone = null, int? SubTotal = null);
