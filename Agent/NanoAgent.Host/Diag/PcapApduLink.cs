namespace NanoAgent.Host.Diag;

/// <summary>The link type of the APDU capture <c>--trace-file x.pcap</c> writes (<c>--trace-link</c>).</summary>
public enum PcapApduLink
{
    /// <summary>LINKTYPE_USER1 (148) with nanoAgent's pseudo-header, decoded by Wireshark/nanoagent.lua.</summary>
    NanoAgent,

    /// <summary>LINKTYPE_ISO_14443 (264), decoded by Wireshark's own ISO 7816 dissector through "Decode As".</summary>
    Iso14443,
}
