using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.Wiring;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.CniPlugin.Tests.Wiring;

/// <summary>
/// The attachment record is the contract between the plugin and its node agent (the two binaries
/// share no code): what the plugin writes, the agent reads back, including whether a
/// WorkloadEndpoint will describe the pod (then policy keeps it closed until that endpoint comes).
/// </summary>
public sealed class AttachmentRecordContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rn-records-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_ReadByTheAgent_SameAttachmentAddressesAndEndpointMark(bool describedByEndpoint)
    {
        new AttachmentRecords(_dir, "k8s").Write(
            "rn0123456789abc",
            new CniAttachment { ContainerId = "c1", IfName = "eth0" },
            [IpCidr.Parse("10.244.1.5/24"), IpCidr.Parse("fd00::5/64")],
            describedByEndpoint);

        var record = Assert.Single(AttachmentRecordReader.ReadAll(_dir));

        Assert.Equal(("k8s", "rn0123456789abc", "c1", "eth0"), (record.Network, record.HostInterface, record.ContainerId, record.IfName));
        Assert.Equal(["10.244.1.5/32", "fd00::5/128"], record.Addresses.Select(a => a.ToString()));
        Assert.Equal(describedByEndpoint, record.AwaitsEndpoint);
    }
}
