using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>
/// Starts a broker enforcing <see cref="AccessSetup.Policy"/>: the embedded broker with the policy, or mosquitto with the
/// password, ACL and configuration files <see cref="MosquittoAccessFiles"/> wrote (<c>allow_anonymous false</c>,
/// <c>use_username_as_clientid true</c>).
/// </summary>
public static class AccessBrokers
{
    public static TheoryData<BrokerKind> Kinds => TestBrokers.Kinds;

    public static ITestBroker Start(BrokerKind kind, BrokerAccessPolicy policy)
    {
        ITestBroker broker = kind == BrokerKind.Embedded
            ? new EmbeddedTestBroker(policy)
            : new MosquittoFixture((dir, port) =>
            {
                // The three files 'nanoagent broker acl' writes, used as written: the config is nanoagent.conf itself.
                (string passwords, string acl, string config) = MosquittoAccessFiles.Write(policy, dir, $"{port} 127.0.0.1");
                MosquittoFixture.MakeReadableByBroker(passwords);
                MosquittoFixture.MakeReadableByBroker(acl);
                return ["persistence false", .. File.ReadAllLines(config)];
            });
        try
        {
            broker.Start();
        }
        catch
        {
            broker.Dispose();
            throw;
        }

        return broker;
    }
}
