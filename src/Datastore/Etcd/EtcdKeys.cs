using System.Text;
using Google.Protobuf;

namespace RoutedNet.Datastore.Etcd;

/// <summary>
/// Key layout: <c>/routednet.io/v1/KIND/NAME</c>. A kind's keys are the range
/// [<c>.../KIND/</c>, <c>.../KIND0</c>): '0' is the byte after '/'.
/// </summary>
internal static class EtcdKeys
{
    private const string Root = "/" + Resources.Resource.GroupVersion + "/";

    public static ByteString Key(string kind, string name) => ByteString.CopyFromUtf8(Root + kind + "/" + name);

    public static ByteString Prefix(string kind) => ByteString.CopyFromUtf8(Root + kind + "/");

    public static ByteString PrefixEnd(string kind) => ByteString.CopyFromUtf8(Root + kind + "0");

    public static string NameOf(string kind, ByteString key)
    {
        var text = key.ToStringUtf8();
        return text[(Root.Length + kind.Length + 1)..];
    }

    public static string Describe(ByteString key) => Encoding.UTF8.GetString(key.Span);
}
