using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>Reads <see cref="ServiceCidr"/> from <c>{"cidr": "…"}</c> or a bare string; writes the mapping.</summary>
public sealed class ServiceCidrJsonConverter : JsonConverter<ServiceCidr>
{
    public override ServiceCidr Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ServiceCidr(reader.GetString()!);
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected {{cidr: CIDR}} or a CIDR string, not {reader.TokenType}");
        }
        string? cidr = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "cidr" && reader.TokenType == JsonTokenType.String)
            {
                cidr = reader.GetString();
            }
            else if (name == "cidr")
            {
                throw new JsonException($"cidr must be a string, not {reader.TokenType}");
            }
            else
            {
                // Fields a later version may add are skipped, as for every other kind.
                reader.Skip();
            }
        }
        return new ServiceCidr(cidr ?? throw new JsonException("an entry without cidr"));
    }

    public override void Write(Utf8JsonWriter writer, ServiceCidr value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("cidr", value.Cidr);
        writer.WriteEndObject();
    }
}
