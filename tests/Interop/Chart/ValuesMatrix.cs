namespace RoutedNet.Tests.Interop.Chart;

/// <summary>Values a user gives the chart, good ones (each must lint and render valid objects) and bad ones (each refused with its reason).</summary>
public static class ValuesMatrix
{
    public const string DualStack = """
        ipPools:
          - {name: pods-v4, cidr: 10.244.0.0/16, blockSize: 26, nodeSelector: all()}
          - {name: pods-v6, cidr: "fd00:244::/56", blockSize: 122}
        """;

    public const string PeersWithSecrets = """
        bgp:
          asNumber: 4200000000
          nodeToNodeMesh: false
          listenPort: 1179
          peers:
            - {name: tor-r1, peerIP: 172.18.0.1, asNumber: 64500, nodeSelector: rack == "r1", password: {secretName: tor-bgp, key: r1}, holdTime: 0, keepaliveTime: 0}
            - {name: tor-r2, peerIP: "fd00::1", asNumber: 64501, port: 1179, nodeSelector: rack == "r2", password: {secretName: tor-bgp, key: r2}, maxPrefixes: 1000}
            - {name: rr, peerIP: 172.18.0.250, asNumber: 4200000000, node: node1, password: {secretName: rr-bgp, key: md5}, routeReflectorClient: true}
            - {name: lab, peerIP: 172.18.0.9, asNumber: 64502}
            - {name: tor-bfd, peerIP: 172.18.0.2, asNumber: 64500, bfd: {receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3, mode: Graceful}}
            - {name: tor-bfd-defaults, peerIP: 172.18.0.3, asNumber: 64500, bfd: {}}
            - {name: tor-shaped, peerIP: 172.18.0.4, asNumber: 64500, filters: [accept-default, no-leaks], localASNumber: 4200000001, nextHopMode: Self, numAllowedLocalASNumbers: 1, ttlSecurity: 1, sourceAddress: None, localPref: 4294967295, asPathPrepend: 0}
        """;

    public const string CustomDirs = """
        cni: {binDir: /home/kubernetes/bin, confDir: /etc/cni/custom.d, confName: 10-routednet.conflist, mtu: 9000}
        healthPort: 9199
        metricsPort: 0
        k8sServiceHost: 10.0.0.1
        k8sServicePort: "6443"
        nodeAddress: {autodetection: default-route, interface: "^bond0$"}
        logLevel: debug
        """;

    public const string RbacOff = """
        rbac: {create: false}
        serviceAccount: {create: false, name: my-network-sa}
        uninstall: {cleanup: false}
        """;

    public const string UninstallCleanupOff = """
        uninstall: {cleanup: false}
        """;

    public const string Extras = """
        image: {repository: registry.example/net/routednet, tag: 0.13.0-rc1, pullPolicy: Always}
        imagePullSecrets: [{name: regcred}]
        commonLabels: {team: net}
        commonAnnotations: {owner: net-team}
        podLabels: {canary: "true"}
        podAnnotations: {prometheus.io/scrape: "true"}
        nodeSelector: {node-role.example/edge: "true"}
        tolerations: [{key: dedicated, operator: Equal, value: edge, effect: NoSchedule}]
        resources: {}
        priorityClassName: ""
        terminationGracePeriodSeconds: 120
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%, maxSurge: 0}}
        """;

    public const string NoPoolsNoMesh = """
        ipPools: []
        bgp: {asNumber: 65000, nodeToNodeMesh: false, peers: []}
        """;

    public static TheoryData<string, string> Good => new()
    {
        { "defaults", "{}" },
        { "dual-stack pools", DualStack },
        { "v6 only", """
            ipPools: [{name: pods-v6, cidr: "fd00:244::/48"}]
            nodeAddress: {autodetection: default-route}
            """ },
        { "peers with secrets", PeersWithSecrets },
        { "custom dirs and ports", CustomDirs },
        { "rbac off", RbacOff },
        { "labels, annotations, image, scheduling", Extras },
        { "no pools, no mesh", NoPoolsNoMesh },
        { "uninstall cleanup off", UninstallCleanupOff },
    };

    /// <summary>Bad values: the values, then what helm must say (the schema's or the chart's message).</summary>
    public static TheoryData<string, string> Bad => new()
    {
        { "bgp: {nodeToNodemesh: true}", "at '/bgp': additional properties 'nodeToNodemesh' not allowed" },
        { "imagee: {tag: x}", "additional properties 'imagee' not allowed" },
        { "healthPort: \"9099\"", "at '/healthPort': got string, want integer" },
        { "ipPools: [{name: p, cidr: 10.244.0.0}]", "at '/ipPools/0/cidr': '10.244.0.0' does not match pattern" },
        { "ipPools: [{name: p, cidr: 10.244.0.0/16, blocksize: 26}]", "at '/ipPools/0': additional properties 'blocksize' not allowed" },
        { "ipPools: [{name: p, cidr: \"fd00::/56\", blockSize: 26}]", "ipPools p: blockSize 26 does not fit fd00::/56" },
        { "nodeAddress: {autodetection: first-found}", "at '/nodeAddress/autodetection': value must be one of 'kubernetes-internal-ip', 'default-route'" },
        { "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}", "at '/updateStrategy/rollingUpdate/maxSurge': value must be 0" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.1, asNumber: 64500, password: s3cret}]}", "at '/bgp/peers/0/password': got string, want object" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.1, asNumber: 64500, password: {secretName: Tor_BGP, key: md5}}]}", "at '/bgp/peers/0/password/secretName': 'Tor_BGP' does not match pattern" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.1, asNumber: 64500, node: n1, nodeSelector: all()}]}", "bgp.peers t: node and nodeSelector are exclusive" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.300, asNumber: 64500}]}", "at '/bgp/peers/0/peerIP': '172.18.0.300' does not match pattern" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.1, asNumber: 64500, bfd: {receiveInterval: 5}}]}", "at '/bgp/peers/0/bfd/receiveInterval': minimum: got 5, want 10" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.1, asNumber: 64500, ttlSecurity: 255}]}", "at '/bgp/peers/0/ttlSecurity': maximum: got 255, want 254" },
        { "bgp: {peers: [{name: t, peerIP: 172.18.0.1, asNumber: 64500, nextHopMode: Next}]}", "at '/bgp/peers/0/nextHopMode': value must be one of 'Auto', 'Self', 'Keep'" },
        { "bgp: {asNumber: 4294967296}", "at '/bgp/asNumber': maximum: got" },
        { "cni: {confName: routednet.conf}", "at '/cni/confName': 'routednet.conf' does not match pattern" },
        { "cni: {binDir: opt/cni/bin}", "at '/cni/binDir': 'opt/cni/bin' does not match pattern" },
        { "tolerations: [{operator: Exist}]", "at '/tolerations/0/operator': value must be one of 'Exists', 'Equal'" },
        { "rbac: {create: \"yes\"}", "at '/rbac/create': got string, want boolean" },
        { "uninstall: {cleanup: \"no\"}", "at '/uninstall/cleanup': got string, want boolean" },
        { "uninstall: {clean: false}", "at '/uninstall': additional properties 'clean' not allowed" },
        { "rbac: {create: false}", "uninstall.cleanup needs rbac.create" },
    };
}
