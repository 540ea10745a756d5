namespace RoutedNet.KubeApiServer;

/// <summary>
/// DIR/kubeconfig: the stand-in's address, its CA (also DIR/ca.crt) and its cluster-admin bearer token. Written to a
/// temporary name and renamed, so a test waiting for the file never reads half of it.
/// </summary>
public static class Kubeconfig
{
    public static string Write(string dir, System.Net.IPEndPoint endpoint, string token, string? caPem)
    {
        var server = (caPem is null ? "http" : "https") + "://" + endpoint;
        var ca = caPem is null ? "" : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(caPem));
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: routednet-test
              cluster:
                server: {server}{ca}
            contexts:
            - name: routednet-test
              context:
                cluster: routednet-test
                user: routednet-test-admin
                namespace: default
            current-context: routednet-test
            users:
            - name: routednet-test-admin
              user:
                token: {token}

            """;
        if (caPem is not null)
        {
            Atomic(Path.Combine(dir, "ca.crt"), caPem);
        }
        var path = Path.Combine(dir, "kubeconfig");
        Atomic(path, text);
        return path;
    }

    private static void Atomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
