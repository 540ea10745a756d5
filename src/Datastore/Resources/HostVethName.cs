using System.Globalization;
using System.Text;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// The host end of a pod's veth: "rn" + 13 hex digits of a hash of the pod's identity, 15 bytes
/// (the kernel's limit). The identity is "namespace/pod" from CNI_ARGS (stable across sandbox
/// restarts, so the node agent can compute it from the Pod alone and join the Pods of its node
/// with the plugin's attachment records), else the container id; a second interface of the same
/// pod (ifname other than eth0) appends "/ifname". The CNI plugin names veths with it, the agent
/// finds them with it: one definition for both binaries.
/// </summary>
public static class HostVethName
{
    public const string Prefix = WorkloadEndpointSpec.HostInterfacePrefix;

    private const int HashDigits = 13;

    public static string For(string? podNamespace, string? podName, string containerId, string ifName)
    {
        ArgumentNullException.ThrowIfNull(ifName);
        var identity = podNamespace is not null && podName is not null ? $"{podNamespace}/{podName}" : containerId;
        if (ifName != "eth0")
        {
            identity += "/" + ifName;
        }
        var hash = Fmix64(Fnv1a64(Encoding.UTF8.GetBytes(identity))).ToString("x16", CultureInfo.InvariantCulture);
        return Prefix + hash[..HashDigits];
    }

    /// <summary>Whether <paramref name="name"/> has the shape of a name the plugin gives (the agent finds its veths this way).</summary>
    public static bool IsOurs(string name) =>
        name is not null
        && name.Length == Prefix.Length + HashDigits
        && name.StartsWith(Prefix, StringComparison.Ordinal)
        && name.AsSpan(Prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;

    // FNV-1a (64-bit) then a finalizer: a few lines and no crypto library to load — SHA would pull
    // in OpenSSL and cost the per-exec start time. 52 bits of it make a collision between two pods
    // of one node vanishingly unlikely, and a collision is caught: the route check names the other veth.
    private static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    // FNV-1a's last multiply only carries a final byte's difference upwards, so identities that
    // differ in their last character ("pod-a", "pod-b") share most leading digits. MurmurHash3's
    // 64-bit finalizer (xor-shift, multiply, twice) spreads every input bit over every output bit.
    private static ulong Fmix64(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
