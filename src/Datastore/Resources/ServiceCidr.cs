using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// One entry of BGPConfiguration's service allow-lists, Calico's shape <c>{cidr: 10.96.0.0/12}</c>
/// so a calicoctl YAML applies unchanged; a bare string (this store's shape before issue 17) is
/// read too and written back as the mapping.
/// </summary>
[JsonConverter(typeof(ServiceCidrJsonConverter))]
public sealed record ServiceCidr(string Cidr);
