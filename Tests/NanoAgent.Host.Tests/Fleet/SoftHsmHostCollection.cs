using NanoAgent.Drivers.Tests.Host.Keys;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>The tests that use the SoftHSM2 token: one token for the process; run alone, after the others (they start
/// campaigns over simulated devices, like the fleet tests).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoftHsmHostCollection : ICollectionFixture<SoftHsmToken>
{
    public const string Name = "softhsm";
}
