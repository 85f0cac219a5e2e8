using NanoAgent.Drivers.Tests.Host.Keys;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>The tests that use the SoftHSM2 token: one token for the process, run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmHostCollection : ICollectionFixture<SoftHsmToken>
{
    public const string Name = "softhsm";
}
