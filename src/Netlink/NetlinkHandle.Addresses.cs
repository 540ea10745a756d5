namespace RoutedNet.Netlink;

/// <summary>Addresses: `ip addr`.</summary>
public sealed partial class NetlinkHandle
{
    /// <summary>`ip addr add IP/LEN dev IF [nodad]`; EEXIST when the address is already there.</summary>
    public void AddAddress(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Change((ref w) => AddressCodec.Write(ref w, add: true, address), () => OperationText.Address(ChangeKind.Add, address, LinkName));
    }

    /// <summary>`ip addr del IP/LEN dev IF`; EADDRNOTAVAIL when it is not there.</summary>
    public void DeleteAddress(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Change((ref w) => AddressCodec.Write(ref w, add: false, address), () => OperationText.Address(ChangeKind.Delete, address, LinkName));
    }

    /// <summary>`ip addr show [dev IF]`, optionally one family.</summary>
    public IReadOnlyList<Address> ListAddresses(AddressFilter? filter = null)
    {
        filter ??= new AddressFilter();
        return Dump<Address>(
            (ref w) => AddressCodec.WriteDump(ref w, filter),
            () => "address show",
            p => AddressCodec.Read(p),
            a => (filter.LinkIndex is null || a.LinkIndex == filter.LinkIndex) && (filter.Family is null || a.Ip.AddressFamily == filter.Family));
    }
}
