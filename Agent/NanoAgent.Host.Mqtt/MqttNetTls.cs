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
    internal static void Configure(MqttClientTlsOptionsBuilder tls, MqttBrokerAddress broker, MqttNetSettings settings)
    {
        tls.UseTls().WithTargetHost(settings.TlsServerName ?? broker.Host);
        if (settings.ClientCertificateFile != null)
        {
            tls.WithClientCertificates(new X509Certificate2Collection(LoadClientCertificate(settings.ClientCertificateFile, settings.ClientKeyFile)));
        }

        if (settings.AllowUntrustedCertificates)
        {
            tls.WithAllowUntrustedCertificates().WithIgnoreCertificateChainErrors().WithCertificateValidationHandler(_ => true);
            return;
        }

        if (settings.CaCertificateFile != null)
        {
            X509Certificate2 ca = LoadCa(settings.CaCertificateFile);
            tls.WithCertificateValidationHandler(e => ChainsTo(e.Certificate, e.SslPolicyErrors, ca));
        }
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

    // The name must match (no RemoteCertificateNameMismatch); the chain must end at the given CA, not at a system root.
    private static bool ChainsTo(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
