namespace NanoAgent.Drivers.Tests.Host.Keys;

/// <summary>The tests that use the SoftHSM2 token: one token for the process, run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmToken>
{
    public const string Name = "softhsm";
}
