namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// What the receiver must do about a decode error, weakest first so that the strongest of several
/// errors is simply the largest (RFC 7606 §2, §3). AFI/SAFI disable is not offered: where RFC 7606
/// allows it we reset the session, which it also allows.
/// </summary>
public enum ErrorAction : byte
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>RFC 7606 §2: the attribute was dropped; the rest of the UPDATE stands.</summary>
    AttributeDiscard = 1,

    /// <summary>RFC 7606 §2: every route the UPDATE announces (NLRI and MP_REACH) is withdrawn instead.</summary>
    TreatAsWithdraw = 2,

    /// <summary>Send the NOTIFICATION named by code, subcode and data, then close (RFC 4271 §6).</summary>
    SessionReset = 3,
}
