using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>
/// Starts a broker enforcing <see cref="AccessSetup.Policy"/>: the embedded broker with the policy, or mosquitto with
/// <c>allow_anonymous false</c> and the password and ACL files <see cref="MosquittoAccessFiles"/> wrote.
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
                (string passwords, string acl) = MosquittoAccessFiles.Write(policy, dir);
                MosquittoFixture.MakeReadableByBroker(passwords);
                MosquittoFixture.MakeReadableByBroker(acl);
                return [$"listener {port} 127.0.0.1", "persistence false", "allow_anonymous false", $"password_file {passwords}", $"acl_file {acl}"];
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
