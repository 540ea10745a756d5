namespace RoutedNet.Felix.Hosting;

/// <summary>
/// The agent's node name for the CNI plugin on the same node: written at start to <c>nodename</c>
/// in the API socket's directory (/run/routednet/nodename by default), where the plugin, which
/// finds its agent through the netconf key "agentSocket", reads it. One source of truth: without
/// it the plugin guessed its own name (host name) and block affinity, blackholes and
/// advertisements went to a node the agent is not (issue 13 item 3). Left in place on exit, as
/// calico-node leaves its file: an agent restart must not fail the pod ADDs meanwhile.
/// </summary>
public static class NodeNameFile
{
    public const string FileName = "nodename";

    public static string PathFor(string apiSocket) => Path.Combine(Path.GetDirectoryName(apiSocket) ?? "/", FileName);

    /// <summary>Writes the name (write, then rename: a concurrent reader never sees half of it); a failure is fatal at start, as an unwritable socket directory is.</summary>
    public static void Write(string apiSocket, string nodeName)
    {
        var path = PathFor(apiSocket);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(temporary, nodeName + "\n");
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FatalStartException($"{path}: cannot write the node name for the CNI plugin: {e.Message}", e);
        }
    }
}
