using System.Security.Cryptography;

namespace NanoAgent.Host.Provision;

/// <summary>The bundle issuer's ECDSA P-256 key pair as PEM files (private: PKCS#8, mode 600; public: SubjectPublicKeyInfo).</summary>
public static class BundleIssuerKey
{
    /// <summary>Creates a new key pair and writes both files.</summary>
    /// <param name="privatePath">The private key file (written with mode 600).</param>
    /// <param name="publicPath">The public key file, for the field engineers' consoles.</param>
    public static void Generate(string privatePath, string publicPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(privatePath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Loads a P-256 key (public or private) from a PEM file.</summary>
    /// <param name="path">The PEM file.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ProvisionBundleException">The file is missing or not a P-256 key (<see cref="ProvisionBundleError.BadIssuerKey"/>).</exception>
    public static ECDsa Load(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                throw new ArgumentException("not a P-256 key");
            }

            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ProvisionBundleException(ProvisionBundleError.BadIssuerKey, $"cannot use the issuer key {path}: {e.Message}", e);
        }
    }
}
