using System.Text;
using RoutedNet.Felix.Api.V1;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// BGPPeer passwords from a Secret (spec.passwordSecretRef): each agent reads the key from the
/// Secret in its own namespace (POD_NAMESPACE) with the chart's RBAC (get on that Secret by name),
/// keys its TCP-MD5 with it, and reads it again when the Secret changes.
/// </summary>
public sealed partial class AgentOnKubernetesTests
{
    // The Secret the chart's golden RBAC (rbac-values.yaml) lets the agent read.
    private const string PeerSecret = "tor-bgp";

    [Fact]
    public async Task PeerPasswordSecretRef_SecretCreatedThenRotated_SessionKeyedFromItAndReKeyed()
    {
        // n1 and n2 peer explicitly (each BGPPeer wins over the mesh for that address), keyed from the Secret.
        await CreatePeerAsync("n1-to-n2", node: "n1", peerIp: "172.18.0.3", key: "md5");
        await CreatePeerAsync("n2-to-n1", node: "n2", peerIp: "172.18.0.2", key: "md5");

        // No Secret yet: the peer is left out (the mesh session stays), and the log says why.
        await Eventually.Until(
            () => _n1.Agent.Log().Contains($"BGPPeer n1-to-n2: no key \"md5\" read from Secret {ServiceAccountNamespace}/{PeerSecret}", StringComparison.Ordinal),
            "n1 to report the peer waiting for its Secret");
        Assert.Equal(0, PlainConnectToN1FromN2());

        await _admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ServiceAccountNamespace}/secrets", SecretJson("first-key"));

        var first = await EstablishedFromBgpPeerAsync();
        // TCP-MD5 is on for n2's address at n1: a connection without the key is never answered.
        Assert.NotEqual(0, PlainConnectToN1FromN2());

        await _admin.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ServiceAccountNamespace}/secrets/{PeerSecret}", SecretJson("second-key"));

        await Eventually.Until(
            () => CountOf(_n1.Agent.Log(), $"read Secret {ServiceAccountNamespace}/{PeerSecret}") >= 2 && CountOf(_n2.Agent.Log(), $"read Secret {ServiceAccountNamespace}/{PeerSecret}") >= 2,
            "both agents to read the rotated Secret");
        var second = await EstablishedFromBgpPeerAsync(after: first);
        Assert.True(second > first);
        foreach (var node in (NodeAgentScope[])[_n1, _n2])
        {
            Assert.DoesNotContain("first-key", node.Agent.Log(), StringComparison.Ordinal);
            Assert.DoesNotContain("second-key", node.Agent.Log(), StringComparison.Ordinal);
            Assert.DoesNotContain("forbidden", node.Agent.Log(), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string SecretJson(string value) =>
        $$$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"{{{{PeerSecret}}}}"},"type":"Opaque","data":{"md5":"{{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}}}}"}}""";

    private Task CreatePeerAsync(string name, string node, string peerIp, string key) =>
        _admin.SendAsync(HttpMethod.Post, "/apis/routednet.io/v1/bgppeers", $$$$"""
            {"apiVersion":"routednet.io/v1","kind":"BGPPeer","metadata":{"name":"{{{{name}}}}"},
             "spec":{"peerIP":"{{{{peerIp}}}}","asNumber":64512,"node":"{{{{node}}}}","passwordSecretRef":{"name":"{{{{PeerSecret}}}}","key":"{{{{key}}}}"}}}
            """);

    // A plain TCP connect (no MD5 option) from n2 to n1's BGP port; 0 when it completes.
    private int PlainConnectToN1FromN2() =>
        _n2.Ns.Exec("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/172.18.0.2/179").ExitCode;

    /// <summary>Waits until both sides' session comes from the BGPPeer and is Established (since after <paramref name="after"/>); returns n1's since.</summary>
    private async Task<DateTime> EstablishedFromBgpPeerAsync(DateTime? after = null)
    {
        var since = DateTime.MinValue;
        await Eventually.Until(
            async () =>
            {
                var n1 = (await _n1.Api.ListPeersAsync(new ListPeersRequest())).Peers.SingleOrDefault(p => p.Address == "172.18.0.3");
                var n2 = (await _n2.Api.ListPeersAsync(new ListPeersRequest())).Peers.SingleOrDefault(p => p.Address == "172.18.0.2");
                if (n1 is null || n2 is null || n1.Source != "BGPPeer/n1-to-n2" || n2.Source != "BGPPeer/n2-to-n1"
                    || n1.State != SessionState.Established || n2.State != SessionState.Established)
                {
                    return false;
                }
                since = n1.Since.ToDateTime();
                return after is null || since > after;
            },
            "the n1-n2 session from the BGPPeers, keyed from the Secret, to be Established");
        return since;
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
