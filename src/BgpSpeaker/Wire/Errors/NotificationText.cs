namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Operator-readable names for codes, subcodes and attributes, for logs and status.</summary>
public static class NotificationText
{
    public static string Describe(NotificationCode code, byte subcode) => code switch
    {
        NotificationCode.MessageHeaderError => "Message Header Error/" + (MessageHeaderErrorSubcode)subcode switch
        {
            MessageHeaderErrorSubcode.ConnectionNotSynchronized => "Connection Not Synchronized",
            MessageHeaderErrorSubcode.BadMessageLength => "Bad Message Length",
            MessageHeaderErrorSubcode.BadMessageType => "Bad Message Type",
            _ => Unknown(subcode),
        },
        NotificationCode.OpenMessageError => "OPEN Message Error/" + (OpenMessageErrorSubcode)subcode switch
        {
            OpenMessageErrorSubcode.Unspecific => "Unspecific",
            OpenMessageErrorSubcode.UnsupportedVersionNumber => "Unsupported Version Number",
            OpenMessageErrorSubcode.BadPeerAs => "Bad Peer AS",
            OpenMessageErrorSubcode.BadBgpIdentifier => "Bad BGP Identifier",
            OpenMessageErrorSubcode.UnsupportedOptionalParameter => "Unsupported Optional Parameter",
            OpenMessageErrorSubcode.UnacceptableHoldTime => "Unacceptable Hold Time",
            OpenMessageErrorSubcode.UnsupportedCapability => "Unsupported Capability",
            _ => Unknown(subcode),
        },
        NotificationCode.UpdateMessageError => "UPDATE Message Error/" + (UpdateMessageErrorSubcode)subcode switch
        {
            UpdateMessageErrorSubcode.Unspecific => "Unspecific",
            UpdateMessageErrorSubcode.MalformedAttributeList => "Malformed Attribute List",
            UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute => "Unrecognized Well-known Attribute",
            UpdateMessageErrorSubcode.MissingWellKnownAttribute => "Missing Well-known Attribute",
            UpdateMessageErrorSubcode.AttributeFlagsError => "Attribute Flags Error",
            UpdateMessageErrorSubcode.AttributeLengthError => "Attribute Length Error",
            UpdateMessageErrorSubcode.InvalidOriginAttribute => "Invalid ORIGIN Attribute",
            UpdateMessageErrorSubcode.InvalidNextHopAttribute => "Invalid NEXT_HOP Attribute",
            UpdateMessageErrorSubcode.OptionalAttributeError => "Optional Attribute Error",
            UpdateMessageErrorSubcode.InvalidNetworkField => "Invalid Network Field",
            UpdateMessageErrorSubcode.MalformedAsPath => "Malformed AS_PATH",
            _ => Unknown(subcode),
        },
        NotificationCode.HoldTimerExpired => "Hold Timer Expired",
        NotificationCode.FiniteStateMachineError => "Finite State Machine Error/" + (FiniteStateMachineErrorSubcode)subcode switch
        {
            FiniteStateMachineErrorSubcode.Unspecified => "Unspecified",
            FiniteStateMachineErrorSubcode.UnexpectedMessageInOpenSent => "Unexpected Message in OpenSent",
            FiniteStateMachineErrorSubcode.UnexpectedMessageInOpenConfirm => "Unexpected Message in OpenConfirm",
            FiniteStateMachineErrorSubcode.UnexpectedMessageInEstablished => "Unexpected Message in Established",
            _ => Unknown(subcode),
        },
        NotificationCode.Cease => "Cease/" + (CeaseSubcode)subcode switch
        {
            CeaseSubcode.Unspecific => "Unspecific",
            CeaseSubcode.MaximumNumberOfPrefixesReached => "Maximum Number of Prefixes Reached",
            CeaseSubcode.AdministrativeShutdown => "Administrative Shutdown",
            CeaseSubcode.PeerDeconfigured => "Peer De-configured",
            CeaseSubcode.AdministrativeReset => "Administrative Reset",
            CeaseSubcode.ConnectionRejected => "Connection Rejected",
            CeaseSubcode.OtherConfigurationChange => "Other Configuration Change",
            CeaseSubcode.ConnectionCollisionResolution => "Connection Collision Resolution",
            CeaseSubcode.OutOfResources => "Out of Resources",
            CeaseSubcode.HardReset => "Hard Reset",
            CeaseSubcode.BfdDown => "BFD Down",
            _ => Unknown(subcode),
        },
        NotificationCode.RouteRefreshMessageError => "ROUTE-REFRESH Message Error/" + (RouteRefreshMessageErrorSubcode)subcode switch
        {
            RouteRefreshMessageErrorSubcode.InvalidMessageLength => "Invalid Message Length",
            _ => Unknown(subcode),
        },
        _ => $"error code {(byte)code}/{subcode}",
    };

    public static string Describe(ErrorAction action) => action switch
    {
        ErrorAction.None => "no error",
        ErrorAction.AttributeDiscard => "attribute discarded",
        ErrorAction.TreatAsWithdraw => "treat-as-withdraw",
        _ => "session reset",
    };

    public static string AttributeName(byte typeCode) => (PathAttributeType)typeCode switch
    {
        PathAttributeType.Origin => "ORIGIN",
        PathAttributeType.AsPath => "AS_PATH",
        PathAttributeType.NextHop => "NEXT_HOP",
        PathAttributeType.MultiExitDisc => "MULTI_EXIT_DISC",
        PathAttributeType.LocalPref => "LOCAL_PREF",
        PathAttributeType.AtomicAggregate => "ATOMIC_AGGREGATE",
        PathAttributeType.Aggregator => "AGGREGATOR",
        PathAttributeType.Communities => "COMMUNITIES",
        PathAttributeType.OriginatorId => "ORIGINATOR_ID",
        PathAttributeType.ClusterList => "CLUSTER_LIST",
        PathAttributeType.MpReachNlri => "MP_REACH_NLRI",
        PathAttributeType.MpUnreachNlri => "MP_UNREACH_NLRI",
        PathAttributeType.As4Path => "AS4_PATH",
        PathAttributeType.As4Aggregator => "AS4_AGGREGATOR",
        PathAttributeType.LargeCommunities => "LARGE_COMMUNITY",
        _ => $"attribute {typeCode}",
    };

    private static string Unknown(byte subcode) => $"subcode {subcode}";
}
