using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Mqtt.Tests.Access;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Mqtt.Tests.Tls;

/// <summary>
/// <see cref="MqttNetConnection"/> against a real mosquitto with a TLS listener that requires client certificates and
/// takes the certificate's common name as the user name (<c>use_identity_as_username</c>), with the ACL file
/// <c>nanoagent broker acl</c> writes. The CA, server and client certificates are made by the test.
/// </summary>
public sealed class MosquittoTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nanoagent-tls-").FullName;
    private readonly TestPki _pki;
    private readonly TestPki _otherPki;
    private readonly MosquittoFixture _broker;

    public MosquittoTlsTests()
    {
        _pki = new TestPki(_dir);
        _otherPki = new TestPki(_dir, "other-ca");
        (string serverCertificate, string serverKey) = _pki.IssueServer();
        BrokerAccessPolicy policy = AccessSetup.Policy();
        _broker = new MosquittoFixture((dir, port) =>
        {
            string acl = MosquittoAccessFiles.Write(policy, dir).AclFile;
            foreach (string file in new[] { acl, _pki.CertificateFile, serverCertificate, serverKey })
            {
                MosquittoFixture.MakeReadableByBroker(file);
            }

            MosquittoFixture.MakeReadableByBroker(_dir, directory: true);
            return
            [
                "persistence false", "allow_anonymous false", $"acl_file {acl}",
                $"listener {port} 127.0.0.1", $"cafile {_pki.CertificateFile}", $"certfile {serverCertificate}", $"keyfile {serverKey}",
                "require_certificate true", "use_identity_as_username true", "use_username_as_clientid true",
            ];
        });
        _broker.Start();
    }

    private MqttBrokerAddress Address => new("127.0.0.1", _broker.Port, useTls: true);

    [Fact]
    public void Connect_ServerVerifiedAgainstCaAndClientCertificate_PublishSubscribeWork()
    {
        using MqttNetConnection agent = Connected("dev1-agent");
        using MqttNetConnection acme = Connected("acme-be");
        var sink = new MessageSink(agent);
        agent.Subscribe(["nanoagent/dev1/+/script/req"], [MqttQos.AtLeastOnce]);

        acme.Publish("nanoagent/dev1/acme/script/req", Encoding.ASCII.GetBytes("hello"), MqttQos.AtLeastOnce, retain: false);

        Assert.Equal("hello", Encoding.ASCII.GetString(sink.Next($"acme's request over TLS; mosquitto log: {_broker.Log}").Payload));
    }

    [Fact]
    public void Connect_ServerNameLocalhost_AlsoVerified()
    {
        using var connection = new MqttNetConnection(new MqttBrokerAddress("localhost", _broker.Port, useTls: true), Settings("acme-be"));
        connection.Connect(Options("acme-be"));
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public void Connect_WrongCa_RefusedAsTlsHandshakeFailure()
    {
        MqttNetSettings settings = Settings("acme-be");
        settings.CaCertificateFile = _otherPki.CertificateFile;
        using var connection = new MqttNetConnection(Address, settings);

        var e = Assert.Throws<MqttConnectionException>(() => connection.Connect(Options("acme-be")));

        Assert.Contains($"TLS handshake with broker at 127.0.0.1:{_broker.Port} failed", e.Message);
        Assert.Contains($"does not chain to the CA in '{_otherPki.CertificateFile}'", e.Message);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public void Connect_ServerNameMismatch_Refused()
    {
        MqttNetSettings settings = Settings("acme-be");
        settings.TlsServerName = "broker.example";
        using var connection = new MqttNetConnection(Address, settings);

        var e = Assert.Throws<MqttConnectionException>(() => connection.Connect(Options("acme-be")));

        Assert.Contains("is not for 'broker.example'", e.Message);
    }

    [Fact]
    public void Connect_NoClientCertificate_Refused()
    {
        using var connection = new MqttNetConnection(Address, new MqttNetSettings { CaCertificateFile = _pki.CertificateFile, Timeout = TimeSpan.FromSeconds(5) });

        var e = Assert.Throws<MqttConnectionException>(() => connection.Connect(Options("acme-be")));
        Assert.Contains("it probably requires a client certificate", e.Message);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public void Connect_ClientCertificateFromAnotherCa_Refused()
    {
        (string certificate, string key) = _otherPki.IssueClient("acme-be");
        var settings = new MqttNetSettings
        {
            CaCertificateFile = _pki.CertificateFile, ClientCertificateFile = certificate, ClientKeyFile = key, Timeout = TimeSpan.FromSeconds(5),
        };
        using var connection = new MqttNetConnection(Address, settings);

        var e = Assert.Throws<MqttConnectionException>(() => connection.Connect(Options("acme-be")));
        Assert.Contains($"does not accept the client certificate '{certificate}'", e.Message);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public void Acl_IdentityAsUserName_TenantDeniedOtherTenantsTopics()
    {
        using MqttNetConnection agent = Connected("dev1-agent");
        using MqttNetConnection acme = Connected("acme-be");
        var agentSink = new MessageSink(agent);
        var acmeSink = new MessageSink(acme);
        agent.Subscribe(["nanoagent/dev1/+/script/req"], [MqttQos.AtLeastOnce]);
        try
        {
            acme.Subscribe(["nanoagent/dev1/beta/script/res"], [MqttQos.AtLeastOnce]);
        }
        catch (MqttConnectionException)
        {
            // Refused in the SUBACK: as good as receiving nothing.
        }

        acme.Subscribe(["nanoagent/dev1/acme/script/res"], [MqttQos.AtLeastOnce]);

        // The CN, not any user name the client claims, is the identity: claiming beta's name changes nothing.
        var refused = Assert.Throws<MqttConnectionRefusedException>(() =>
            acme.Publish("nanoagent/dev1/beta/script/req", Encoding.ASCII.GetBytes("forged"), MqttQos.AtLeastOnce, retain: false));
        Assert.Contains("not authorized", refused.Message);
        acme.Publish("nanoagent/dev1/acme/script/req", Encoding.ASCII.GetBytes("own"), MqttQos.AtLeastOnce, retain: false);
        Assert.Equal("nanoagent/dev1/acme/script/req", agentSink.Next("acme's own request").Topic);

        agent.Publish("nanoagent/dev1/beta/script/res", Encoding.ASCII.GetBytes("beta's"), MqttQos.AtLeastOnce, retain: false);
        agent.Publish("nanoagent/dev1/acme/script/res", Encoding.ASCII.GetBytes("acme's"), MqttQos.AtLeastOnce, retain: false);
        Assert.Equal("acme's", Encoding.ASCII.GetString(acmeSink.Next("acme's own result").Payload));
    }

    public void Dispose()
    {
        _broker.Dispose();
        _pki.Dispose();
        _otherPki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private MqttNetConnection Connected(string user)
    {
        var connection = new MqttNetConnection(Address, Settings(user));
        connection.Connect(Options(user));
        return connection;
    }

    // With use_identity_as_username, mosquitto ignores the user name sent: beta's is sent on purpose.
    private static MqttConnectOptions Options(string user) =>
        new() { ClientId = user, UserName = user == "acme-be" ? "beta-be" : null, CleanSession = true };

    private MqttNetSettings Settings(string user)
    {
        (string certificate, string key) = _pki.IssueClient(user);
        return new MqttNetSettings { CaCertificateFile = _pki.CertificateFile, ClientCertificateFile = certificate, ClientKeyFile = key, Timeout = TimeSpan.FromSeconds(5) };
    }
}
