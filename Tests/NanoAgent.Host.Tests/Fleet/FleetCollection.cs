namespace NanoAgent.Host.Tests.Fleet;

/// <summary>The fleet tests run alone, after the others: they start many processes and devices, which would slow the
/// timing-bound tests elsewhere (the burst test) on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FleetCollection : ICollectionFixture<FleetDatabases>
{
    public const string Name = "fleet";
}
