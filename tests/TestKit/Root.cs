namespace RoutedNet.Tests.TestKit;

/// <summary>Integration and interop tiers need root (namespaces, veths, raw sockets): fail loudly, never skip.</summary>
public static class Root
{
    public static void Require()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("this test needs root: run it as root (./test.sh does)");
        }
    }
}
