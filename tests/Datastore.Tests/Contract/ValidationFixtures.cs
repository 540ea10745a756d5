namespace RoutedNet.Datastore.Tests.Contract;

/// <summary>
/// The rows the validation tests (and the contract suite, linked into other test projects with
/// this folder) feed to every backend's validator, in one place so that
/// Datastore.Tests/Crds/CrdVerdictTests also puts each one to the CRD schema a Kubernetes API
/// server enforces: a row added here is checked there too.
/// </summary>
public static class ValidationFixtures
{
    /// <summary>Pools that pass: cidr, blockSize.</summary>
    public static TheoryData<string, int> ValidPools => new()
    {
        { "fd00:244::/56", 122 },
        { "fd00:244::/120", 128 },
        { "10.244.0.0/20", 20 },
        { "10.244.1.0/24", 32 },
    };

    /// <summary>Pools refused: cidr, a fragment of the message, blockSize.</summary>
    public static TheoryData<string, string, int?> InvalidPools => new()
    {
        { "fe80::/64", "link-local", null },
        { "fd00:244::/56", "/116 to /128", 129 },
        { "10.1/16", "bad address", null },
        { "fd00::1%eth0/64", "bad address", null },
        { "10.244.0.0", "ADDRESS/PREFIX", null },
        { "10.244.0.1/16", "host bits", null },
        { "10.300.0.0/16", "bad address", null },
        { "10.244.0.0/16", "/20 to /32", 19 },
        { "10.244.0.0/16", "/20 to /32", 33 },
        { "fd00:244::/56", "/116 to /128", 115 },
        { "10.244.0.0/24", "larger than the pool", 22 },
        { "169.254.0.0/16", "link-local", null },
        { "169.0.0.0/8", "link-local", null },
    };

    /// <summary>Node selectors that do not parse.</summary>
    public static TheoryData<string> BadSelectors => new()
    {
        "rack = \"r1\"",
        "rack == r1",
        "has(rack",
        "rack in {r1}",
    };

    /// <summary>Hold times RFC 4271 §4.2 rules out.</summary>
    public static TheoryData<int> BadHoldTimes => new() { 1, 2, 70000 };

    /// <summary>Peers refused for their address or AS: peerIP, asNumber.</summary>
    public static TheoryData<string, uint> BadPeerAddressOrAs => new()
    {
        { "172.18.0", 65000u },
        { "172.18.0.1", 0u },
    };

    /// <summary>Passwords longer than Linux's 80-byte TCP-MD5 key: length, character.</summary>
    public static TheoryData<int, char> TooLongPasswords => new()
    {
        { 81, 'x' },
        { 41, 'é' },
    };

    /// <summary>
    /// Documents as an operator writes them (kind, JSON), good and bad, for the kinds kept as
    /// CRDs: fields of the wrong type, unknown or missing, numbers out of range.
    /// </summary>
    public static TheoryData<string, string> Documents => new()
    {
        { "IPPool", """{"spec":{"cidr":"10.244.0.0/16","blockSize":26,"nodeSelector":"rack == \"r1\"","disabled":true}}""" },
        { "IPPool", """{"spec":{"cidr":"10.244.0.0/16","blocksize":26}}""" },
        { "IPPool", """{"spec":{"cidr":"10.244.0.0/16"},"status":{}}""" },
        { "IPPool", """{"spec":{"cidr":"10.244.0.0/16","disabled":"yes"}}""" },
        { "IPPool", """{"spec":{"cidr":"10.244.0.0/16","blockSize":26.5}}""" },
        { "IPPool", """{"spec":{"blockSize":26}}""" },
        { "IPPool", """{"spec":{"cidr":"10.244.0.0/16","nodeSelector":"rack in {r1}"}}""" },
        { "IPAMConfig", """{"spec":{"strictAffinity":true,"maxBlocksPerHost":4,"releaseCooldownSeconds":60}}""" },
        { "IPAMConfig", """{"spec":{"maxBlocksPerHost":-1}}""" },
        { "IPAMConfig", """{"spec":{"releaseCooldownSeconds":-5}}""" },
        { "IPAMConfig", """{"spec":{"strictAfinity":true}}""" },
        { "BGPConfiguration", """{"spec":{"asNumber":4294967295,"nodeToNodeMesh":false,"listenPort":1179,"serviceClusterIPs":[{"cidr":"10.96.0.0/12"}],"serviceExternalIPs":[{"cidr":"fd00:96::/112"}],"serviceLoadBalancerIPs":[{"cidr":"192.0.2.10/32"}],"serviceLoadBalancerAggregation":"Disabled"}}""" },
        { "BGPConfiguration", """{"spec":{"asNumber":0}}""" },
        { "BGPConfiguration", """{"spec":{"asNumber":4294967296}}""" },
        { "BGPConfiguration", """{"spec":{"listenPort":0}}""" },
        { "BGPConfiguration", """{"spec":{"listenPort":65536}}""" },
        { "BGPConfiguration", """{"spec":{"serviceClusterIPs":[{"cidr":"10.96.0.0/33"}]}}""" },
        { "BGPConfiguration", """{"spec":{"serviceExternalIPs":[{"cidr":"192.0.2.1/24"}]}}""" },
        { "BGPConfiguration", """{"spec":{"serviceLoadBalancerIPs":[{"cidr":"192.0.2.300/32"}]}}""" },
        { "BGPConfiguration", """{"spec":{"serviceLoadBalancerIPs":[{"cidr":"192.0.2.0/24"}],"serviceLoadBalancerAggregation":"Off"}}""" },
        { "BGPConfiguration", """{"spec":{"communities":[{"name":"rack-a","value":"65000:100"},{"name":"big","value":"4200000000:1:2"}],"prefixAdvertisements":[{"cidr":"10.65.0.0/16","communities":["rack-a","65535:0","big","65000:7:8"]},{"cidr":"fd00:65::/48"}]}}""" },
        { "BGPConfiguration", """{"spec":{"communities":[{"name":"rack-a","value":"65536:100"}]}}""" },
        { "BGPConfiguration", """{"spec":{"communities":[{"name":"rack-a","value":"1:2:3:4"}]}}""" },
        { "BGPConfiguration", """{"spec":{"communities":[{"value":"65000:100"}]}}""" },
        { "BGPConfiguration", """{"spec":{"communities":[{"name":"a","value":"65000:1"},{"name":"a","value":"65000:2"}]}}""" },
        { "BGPConfiguration", """{"spec":{"prefixAdvertisements":[{"cidr":"10.65.0.0/16","communities":["rack-b"]}]}}""" },
        { "BGPConfiguration", """{"spec":{"prefixAdvertisements":[{"cidr":"10.65.0.0/33"}]}}""" },
        { "BGPConfiguration", """{"spec":{"prefixAdvertisements":[{"communities":["65000:1"]}]}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"fd00::1","port":1179,"asNumber":65000,"node":"n1","password":"s3cret","keepaliveTime":10,"holdTime":30,"routeReflectorClient":true,"maxPrefixes":1000}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"holdtime":90}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"port":0}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"keepaliveTime":21846}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"maxPrefixes":-1}}""" },
        { "BGPPeer", """{"spec":{"asNumber":65000}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1"}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"node":"n1","nodeSelector":"all()"}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"passwordSecretRef":{"name":"tor-bgp","key":"password"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"passwordSecretRef":{"name":"Tor_BGP","key":"password"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"passwordSecretRef":{"name":"tor-bgp","key":"pass word"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"passwordSecretRef":{"name":"tor-bgp"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"passwordSecretRef":{"name":"tor-bgp","key":"password","namespace":"x"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"password":"s3cret","passwordSecretRef":{"name":"tor-bgp","key":"password"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"receiveInterval":100,"transmitInterval":100,"detectMultiplier":3,"mode":"Graceful"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"receiveInterval":5}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"transmitInterval":60001}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"detectMultiplier":0}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"mode":"Soft"}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"minimumTtl":253}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"minimumTtl":0}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"minimumTtl":256}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"bfd":{"interval":100}}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"filters":["tor-in","tor-out"],"localASNumber":4200000001,"nextHopMode":"Keep","numAllowedLocalASNumbers":1,"ttlSecurity":1,"sourceAddress":"None","localPref":200,"asPathPrepend":2}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"filters":[".hidden"]}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"localASNumber":0}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"nextHopMode":"self"}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"numAllowedLocalASNumbers":11}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"ttlSecurity":0}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"ttlSecurity":255}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"sourceAddress":"172.18.0.2"}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"sourceAddress":"eth0"}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"sourceAddress":"fd00::2"}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"localPref":4294967296}}""" },
        { "BGPPeer", """{"spec":{"peerIP":"172.18.0.1","asNumber":65000,"asPathPrepend":11}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"cidr":"0.0.0.0/0","matchOperator":"Equal","action":"Accept"},{"cidr":"10.244.0.0/16","matchOperator":"In","prefixLength":{"min":24,"max":32},"action":"Reject"}],"exportV4":[{"source":"RemotePeers","action":"Reject"}],"importV6":[{"cidr":"::/0","matchOperator":"NotEqual","action":"Reject"}],"exportV6":[{"cidr":"fd00:244::/56","matchOperator":"NotIn","prefixLength":{"max":128},"action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"cidr":"0.0.0.0/0","matchOperator":"Equal"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"action":"Drop"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"cidr":"0.0.0.0/0","matchOperator":"Within","action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"cidr":"fd00::/8","matchOperator":"In","action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV6":[{"cidr":"10.0.0.0/8","matchOperator":"In","action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"cidr":"10.0.0.0/8","action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"prefixLength":{"min":33},"action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV6":[{"prefixLength":{"max":129},"action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"prefixLength":{"min":28,"max":24},"action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"importV4":[{"source":"RemotePeers","action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"exportV4":[{"source":"Local","action":"Accept"}]}}""" },
        { "BGPFilter", """{"spec":{"exportV4":[{"interface":"eth*","action":"Accept"}]}}""" },
        { "IPAMBlock", """{"spec":{"cidr":"10.244.1.0/30","affinity":"host:n1","allocations":[0,null,null,0],"unallocated":[2,1],"attributes":[{"handleId":"h","secondary":{"pod":"web"}}],"released":[{"ordinal":1,"releasedAt":"2026-01-02T03:04:05+00:00"}],"deleted":false}}""" },
        { "IPAMBlock", """{"spec":{"cidr":"10.244.1"}}""" },
        { "IPAMBlock", """{"spec":{"cidr":"10.244.1.0/24","attributes":[{"handle":"h"}]}}""" },
        { "IPAMBlock", """{"spec":{"cidr":"10.244.1.0/24","released":[{"ordinal":1,"releasedAt":"yesterday"}]}}""" },
        { "IPAMBlock", """{"spec":{"cidr":"10.244.1.0/24","unallocated":["1"]}}""" },
        { "BlockAffinity", """{"spec":{"node":"n1","cidr":"10.244.1.0/24","state":"confirmed","deleted":false}}""" },
        { "BlockAffinity", """{"spec":{"node":"n1","cidr":"10.244.1.0/24","state":"pendingDeletion"}}""" },
        { "BlockAffinity", """{"spec":{"node":"n1","cidr":"10.244.1.0/24","state":"bogus"}}""" },
        { "BlockAffinity", """{"spec":{"node":"","cidr":"10.244.1.0/24"}}""" },
        { "BlockAffinity", """{"spec":{"node":"n1"}}""" },
        { "IPAMHandle", """{"spec":{"handleId":"net.abc.eth0","block":{"10.244.1.0/24":2},"deleted":true}}""" },
        { "IPAMHandle", """{"spec":{"handleId":""}}""" },
        { "IPAMHandle", """{"spec":{"handleId":"h","block":{"10.244.1.0/24":"2"}}}""" },
    };
}
