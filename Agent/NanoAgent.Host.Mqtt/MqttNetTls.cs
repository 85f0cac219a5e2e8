using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace NanoAgent.Host.Mqtt;

/// <summary>
/// TLS setup for <see cref="MqttNetConnection"/>: system trust, a private CA file, or (labs only) any certificate; and
/// optionally a client certificate for brokers that authenticate clients by certificate.
/// </summary>
internal static class MqttNetTls
{
    internal static void Configure(MqttClientTlsOptionsBuilder tls, MqttBrokerAddress broker, MqttNetSettings settings, MqttNetTlsCheck check)
    {
        string serverName = settings.TlsServerName ?? broker.Host;
        tls.UseTls().WithTargetHost(serverName);
        if (settings.ClientCertificateFile != null)
        {
            tls.WithClientCertificates(new X509Certificate2Collection(LoadClientCertificate(settings.ClientCertificateFile, settings.ClientKeyFile)));
        }

        if (settings.AllowUntrustedCertificates)
        {
            tls.WithAllowUntrustedCertificates().WithIgnoreCertificateChainErrors().WithCertificateValidationHandler(_ => check.ServerAccepted = true);
            return;
        }

        X509Certificate2? ca = settings.CaCertificateFile == null ? null : LoadCa(settings.CaCertificateFile);
        tls.WithCertificateValidationHandler(e =>
        {
            check.Rejection = Reject(e.Certificate, e.SslPolicyErrors, ca, settings.CaCertificateFile, serverName);
            check.ServerAccepted = check.Rejection == null;
            return check.ServerAccepted;
        });
    }

    private static X509Certificate2 LoadCa(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new NanoAgent.Agent.Mqtt.MqttConnectionException($"cannot read the CA certificate '{path}': {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string? keyPath)
    {
        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // An ephemeral PEM key cannot be used by every TLS back end: round-trip through PKCS#12 so it can.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            throw new NanoAgent.Agent.Mqtt.MqttConnectionException(
                $"cannot read the client certificate '{certificatePath}'{(keyPath == null ? string.Empty : $" with key '{keyPath}'")}: {e.Message}", e);
        }
    }

    // The name must match (no RemoteCertificateNameMismatch); with a CA file the chain must end at that CA, not at a
    // system root; without one, the system's verdict stands.
    private static string? Reject(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2? ca, string? caFile, string serverName)
    {
        if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "the broker sent no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"the broker's certificate ({certificate.Subject}) is not for '{serverName}' (check the host name, or the TLS server name)";
        }

        if (ca == null)
        {
            return errors == SslPolicyErrors.None ? null : $"the broker's certificate ({certificate.Subject}) is not trusted by this system ({errors}); give the CA file that signed it";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        if (chain.Build(leaf))
        {
            return null;
        }

        string status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"the broker's certificate ({certificate.Subject}, issued by {certificate.Issuer}) does not chain to the CA in '{caFile}' ({ca.Subject}): {status}";
    }
}
