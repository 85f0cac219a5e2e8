using System.Security.Cryptography;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// Host challenges and fresh keys from the operating system's cryptographic generator.
/// </summary>
public sealed class CryptoRandomSource : IRandomSource
{
    /// <summary>Gets a shared instance; the source holds no state.</summary>
    public static CryptoRandomSource Instance { get; } = new();

    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
