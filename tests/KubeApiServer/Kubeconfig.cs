using System.Globalization;

namespace RoutedNet.KubeApiServer;

/// <summary>
/// DIR/kubeconfig: the stand-in's address and its cluster-admin bearer token. Written to a
/// temporary name and renamed, so a test waiting for the file never reads half of it.
/// </summary>
public static class Kubeconfig
{
    public static string Write(string dir, int port, string token)
    {
        var server = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: routednet-test
              cluster:
                server: {server}
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
        var path = Path.Combine(dir, "kubeconfig");
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
