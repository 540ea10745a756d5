namespace RoutedNet.Netlink.Nftables;

/// <summary>What one message of a batch does, for the error text that names it.</summary>
internal enum NftOperationKind
{
    AddTable,
    DeleteTable,
    AddChain,
    DeleteChain,
    FlushChain,
    AddRule,
    AddSet,
    DeleteSet,
    AddElement,
    DeleteElement,
}
