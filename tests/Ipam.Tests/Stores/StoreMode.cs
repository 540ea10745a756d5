namespace RoutedNet.Ipam.Tests.Stores;

/// <summary>The two IPAM write modes the tests run in, by the store capability that selects them.</summary>
public enum StoreMode
{
    /// <summary>sqlite as it is: multi-object transactions.</summary>
    Transactional,

    /// <summary>sqlite behind <see cref="RecordingStore"/> refusing multi-object commits, as the Kubernetes API.</summary>
    Sequential,
}
