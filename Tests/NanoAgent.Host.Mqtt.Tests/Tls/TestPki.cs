using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NanoAgent.Host.Mqtt.Tests.Tls;

/// <summary>
/// A throw-away certificate authority for TLS tests, made with .NET's <see cref="CertificateRequest"/> (ECDSA P-256, no
/// network): the CA, server certificates for 127.0.0.1 and localhost, and client certificates whose common name is an
/// MQTT user name (mosquitto's <c>use_identity_as_username</c>). Files are PEM, written to a folder.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Creates a CA and writes its certificate to <c>{folder}/{name}.pem</c>.</summary>
    public TestPki(string folder, string name = "ca")
    {
        Folder = folder;
        var request = new CertificateRequest($"CN=nanoAgent test CA {name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertificateFile = Path.Combine(folder, name + ".pem");
        File.WriteAllText(CertificateFile, Certificate.ExportCertificatePem());
    }

    /// <summary>Gets the folder the files go to.</summary>
    public string Folder { get; }

    /// <summary>Gets the CA certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Gets the CA certificate's PEM file.</summary>
    public string CertificateFile { get; }

    /// <summary>Issues a server certificate for 127.0.0.1 and localhost.</summary>
    /// <returns>The certificate and key PEM files.</returns>
    public (string Certificate, string Key) IssueServer(string name = "server")
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        return Issue(name, "localhost", names.Build(), new Oid("1.3.6.1.5.5.7.3.1"));
    }

    /// <summary>Issues a client certificate whose common name is the MQTT user name.</summary>
    /// <returns>The certificate and key PEM files.</returns>
    public (string Certificate, string Key) IssueClient(string userName) =>
        Issue("client-" + userName, userName, null, new Oid("1.3.6.1.5.5.7.3.2"));

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        _caKey.Dispose();
    }

    private (string Certificate, string Key) Issue(string file, string commonName, X509Extension? names, Oid usage)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (names != null)
        {
            request.CertificateExtensions.Add(names);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        string certificatePath = Path.Combine(Folder, file + ".pem");
        string keyPath = Path.Combine(Folder, file + ".key");
        File.WriteAllText(certificatePath, issued.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            // As a private key should be (the CLI refuses one open to others); a server key mosquitto must read is opened up by its fixture.
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (certificatePath, keyPath);
    }
}
