namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// One role of the binary (the `routednet` plugin, the `routednet-ipam` plugin). Failures are
/// thrown as <see cref="CniException"/>; <see cref="CniRunner"/> turns them into error JSON.
/// </summary>
internal interface ICniPlugin
{
    CniResult Add(CniRequest request);

    void Del(CniRequest request);

    void Check(CniRequest request);

    void Status(CniRequest request);

    void Gc(CniRequest request);
}
