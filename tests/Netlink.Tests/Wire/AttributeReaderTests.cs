using RoutedNet.Netlink.Wire;

namespace RoutedNet.Netlink.Tests.Wire;

public sealed class AttributeReaderTests
{
    [Fact]
    public void MoveNext_NestedFlagSet_TypeMaskedAndValueSliced()
    {
        var attributes = Hex.Bytes("0800 0180 01020304" + "0500 0300 09 000000");
        var seen = new List<(ushort, string)>();

        foreach (var attribute in new AttributeReader(attributes))
        {
            seen.Add((attribute.Type, Hex.Of(attribute.Value)));
        }

        Assert.Equal([((ushort)1, "01020304"), ((ushort)3, "09")], seen);
    }

    [Theory]
    [InlineData("0300 0100 00000000", "length below the attribute header")]
    [InlineData("0c00 0100 00000000", "length beyond what is left")]
    public void MoveNext_Malformed_ThrowsInvalidData(string hex, string label)
    {
        var attributes = Hex.Bytes(hex);

        var error = Record.Exception(() =>
        {
            foreach (var attribute in new AttributeReader(attributes))
            {
                _ = attribute.Type;
            }
        });

        Assert.True(error is InvalidDataException, label);
    }

    [Fact]
    public void AsUInt32_ShortValue_ThrowsInsteadOfReadingPastIt()
    {
        var error = Record.Exception(() =>
        {
            foreach (var attribute in new AttributeReader(Hex.Bytes("0600 0400 0100 0000")))
            {
                _ = attribute.AsUInt32();
            }
        });

        Assert.IsType<InvalidDataException>(error);
    }
}
