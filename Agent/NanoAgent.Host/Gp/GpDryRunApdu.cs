namespace NanoAgent.Host.Gp;

/// <summary>One APDU a dry run shows: the session's handshake (no clear form) or a management command, clear and wrapped.</summary>
/// <param name="Step">"SELECT", "INITIALIZE UPDATE", "EXTERNAL AUTHENTICATE" or "command".</param>
/// <param name="Clear">The command before wrapping, in hex; null for the handshake.</param>
/// <param name="Wrapped">The bytes a session at the assumed counter sends, in hex.</param>
public sealed record GpDryRunApdu(string Step, string? Clear, string Wrapped);
