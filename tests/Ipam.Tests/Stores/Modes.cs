namespace RoutedNet.Ipam.Tests.Stores;

/// <summary>Theory data: every IPAM test that writes runs in both write modes.</summary>
public static class Modes
{
    public static TheoryData<StoreMode> Both => [StoreMode.Transactional, StoreMode.Sequential];
}
