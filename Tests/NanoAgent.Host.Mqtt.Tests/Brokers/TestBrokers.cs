namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>Creates and starts brokers for interop tests.</summary>
public static class TestBrokers
{
    /// <summary>The broker kinds every interop theory runs over.</summary>
    public static TheoryData<BrokerKind> Kinds => new() { BrokerKind.Mosquitto, BrokerKind.Embedded };

    /// <summary>Creates and starts a broker on a free port.</summary>
    /// <param name="kind">Which broker.</param>
    /// <param name="userName">Required user name, or null for anonymous access.</param>
    /// <param name="password">The password.</param>
    /// <returns>The started broker.</returns>
    public static ITestBroker Start(BrokerKind kind, string? userName = null, string? password = null)
    {
        ITestBroker broker = kind == BrokerKind.Mosquitto
            ? new MosquittoFixture(userName, password)
            : new EmbeddedTestBroker(userName, password);
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
