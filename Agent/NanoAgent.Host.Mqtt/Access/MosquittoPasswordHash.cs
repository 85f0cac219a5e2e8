using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// Password hashes in mosquitto's password_file format (mosquitto_passwd 2.x):
/// <c>$7$iterations$base64(salt)$base64(PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes))</c>, salt 12 bytes.
/// The same string serves the embedded broker and a mosquitto password_file, so a password is never stored in clear.
/// </summary>
public static class MosquittoPasswordHash
{
    /// <summary>mosquitto_passwd's default iteration count.</summary>
    public const int DefaultIterations = 101;

    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    /// <summary>Hashes a password with a fresh random salt.</summary>
    /// <param name="password">The password (UTF-8).</param>
    /// <param name="iterations">PBKDF2 iterations, at least 1.</param>
    /// <returns>The hash string.</returns>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return Format(iterations, salt, Derive(password, salt, iterations));
    }

    /// <summary>Tells whether a password matches a hash (constant-time compare of the derived bytes).</summary>
    /// <param name="hash">The hash string.</param>
    /// <param name="password">The password given at connect, or null.</param>
    /// <returns>True when it matches; false for a null password or a malformed hash.</returns>
    public static bool Verify(string hash, string? password)
    {
        if (password == null || !TryParse(hash, out int iterations, out byte[] salt, out byte[] expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
    }

    /// <summary>Tells whether a string is a well-formed <c>$7$</c> hash.</summary>
    /// <param name="hash">The text.</param>
    /// <returns>True when well-formed.</returns>
    public static bool IsWellFormed(string? hash) => TryParse(hash, out _, out _, out _);

    private static bool TryParse(string? hash, out int iterations, out byte[] salt, out byte[] expected)
    {
        iterations = 0;
        salt = [];
        expected = [];
        string[] parts = (hash ?? string.Empty).Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != "7"
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[3]);
            expected = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && expected.Length == HashBytes;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);

    private static string Format(int iterations, byte[] salt, byte[] hash) =>
        "$7$" + iterations.ToString(CultureInfo.InvariantCulture) + "$" + Convert.ToBase64String(salt) + "$" + Convert.ToBase64String(hash);
}
