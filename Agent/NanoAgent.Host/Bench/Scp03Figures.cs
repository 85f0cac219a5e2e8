namespace NanoAgent.Host.Bench;

/// <summary>SCP03 secure messaging cost per APDU at security level 33 (C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION).</summary>
/// <param name="DataBytes">Plain data bytes in the command and in the response.</param>
/// <param name="WrapMicros">Wrap time per command on this machine, µs.</param>
/// <param name="UnwrapMicros">Unwrap time per response on this machine, µs.</param>
/// <param name="WrapAllocatedBytes">Bytes allocated per wrap.</param>
/// <param name="UnwrapAllocatedBytes">Bytes allocated per unwrap.</param>
/// <param name="AddedBytes">Bytes secure messaging adds to the command and response together (padding and MACs).</param>
public sealed record Scp03Figures(int DataBytes, double WrapMicros, double UnwrapMicros, double WrapAllocatedBytes, double UnwrapAllocatedBytes, int AddedBytes);
