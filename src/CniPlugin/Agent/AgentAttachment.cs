using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>The attachment a request is about, as proto/node.proto's CniAttachment carries it.</summary>
internal sealed record AgentAttachment(string ContainerId, string IfName, string Network, string Pod, string Namespace)
{
    public string HandleId => IpamRolePlugin.HandleId(Network, ContainerId, IfName);

    public static AgentAttachment Of(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var env = request.Environment;
        return new AgentAttachment(env.ContainerId, env.IfName, request.Config.Name, env.Args.PodName ?? "", env.Args.PodNamespace ?? "");
    }

    public ProtoWriter Encode() => new ProtoWriter()
        .String(1, ContainerId)
        .String(2, IfName)
        .String(3, Network)
        .String(4, Pod)
        .String(5, Namespace)
        .String(6, HandleId);
}
