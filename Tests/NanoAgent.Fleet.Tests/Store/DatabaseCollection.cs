namespace NanoAgent.Fleet.Tests.Store;

/// <summary>One PostgreSQL cluster for every store test class.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<Databases>
{
    public const string Name = "fleet databases";
}
