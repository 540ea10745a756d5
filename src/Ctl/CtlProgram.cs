namespace RoutedNet.Ctl;

/// <summary>
/// routednetctl's entry point. Its own Program calls it, and so does routednet-node when it runs
/// under the name routednetctl: the two ship as one NativeAOT file with two names (hard links in
/// out/bin and in the image), which stores their shared code (.NET, HTTP/TLS, gRPC, the datastores)
/// once (docs/BENCHMARKS.md "Image size").
/// </summary>
public static class CtlProgram
{
    /// <summary>The file name that makes the multi-call binary routednetctl.</summary>
    public const string Name = "routednetctl";

    public static Task<int> RunAsync(string[] args) => CtlCommandLine.InvokeAsync(CtlRoot.Build(), args);
}
