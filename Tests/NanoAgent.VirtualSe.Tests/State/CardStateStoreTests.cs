using System.Text.Json;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.State;

public sealed class CardStateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nanoagent-state").FullName;

    private string StatePath => Path.Combine(_dir, "sub", "card.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_MissingFile_CreatesFreshCardAndSavesIt()
    {
        CardState state = new CardStateStore(StatePath).Load();
        Assert.True(File.Exists(StatePath));
        Assert.Equal(CardLifeCycle.Secured, state.LifeCycle);
        Assert.Equal("A000000151000000", Convert.ToHexString(state.Isd.Aid));
        Assert.Contains(state.Entries, e => e.Kind == RegistryEntryKind.ExecutableLoadFile);
        Assert.Contains(state.Entries, e => e.Kind == RegistryEntryKind.Application);
    }

    [Fact]
    public void SaveThenLoadInNewInstance_KeepsRegistryAndIdentity()
    {
        CardState state = CardState.CreateFresh(0xCAFEBABE);
        state.LifeCycle = CardLifeCycle.Initialized;
        state.Entries.Add(new RegistryEntry
        {
            Aid = Convert.FromHexString("A00000015153504341534400"),
            Kind = RegistryEntryKind.SecurityDomain,
            LifeCycle = EntryLifeCycle.Personalized,
            Privileges = [0x80, 0x00, 0x00],
            AssociatedSecurityDomain = state.Isd.Aid,
        });
        new CardStateStore(StatePath).Save(state);

        CardState loaded = new CardStateStore(StatePath).Load();
        Assert.Equal(Serialize(state), Serialize(loaded));
        Assert.Equal(0xCAFEBABE, loaded.Identity.Cplc.IcSerialNumber);
        Assert.Equal(4, loaded.Entries.Count);
        Assert.Equal([StatePath], Directory.GetFiles(Path.GetDirectoryName(StatePath)!)); // no temporary file left
    }

    [Fact]
    public void Save_WritesReadableHexAndEnumNames()
    {
        new CardStateStore(StatePath).Save(CardState.CreateFresh());
        string json = File.ReadAllText(StatePath);
        Assert.Contains("\"A000000151000000\"", json);
        Assert.Contains("\"IssuerSecurityDomain\"", json);
        Assert.Contains("\"Secured\"", json);
    }

    [Theory]
    [InlineData("{ not json", CardStateError.Corrupt)]
    [InlineData("", CardStateError.Corrupt)]
    [InlineData("null", CardStateError.Corrupt)]
    [InlineData("{\"Entries\": [{\"Aid\": \"XYZ\"}]}", CardStateError.Corrupt)]
    [InlineData("{\"Version\": 1, \"Entries\": []}", CardStateError.Invalid)]
    [InlineData("{\"Version\": 99}", CardStateError.UnsupportedVersion)]
    public void Load_BadFile_ThrowsNamingFileAndLeavesItUntouched(string content, CardStateError expected)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllText(StatePath, content);
        var e = Assert.Throws<CardStateException>(() => new CardStateStore(StatePath).Load());
        Assert.Equal(expected, e.Error);
        Assert.Contains(StatePath, e.Message);
        Assert.Equal(content, File.ReadAllText(StatePath));
    }

    [Fact]
    public void Load_AidTooShort_IsInvalid()
    {
        CardState state = CardState.CreateFresh();
        var store = new CardStateStore(StatePath);
        store.Save(state);
        string json = File.ReadAllText(StatePath).Replace("\"F06E616E6F010101\"", "\"F06E\"");
        File.WriteAllText(StatePath, json);
        Assert.Equal(CardStateError.Invalid, Assert.Throws<CardStateException>(() => store.Load()).Error);
    }

    [Fact]
    public void Save_InvalidState_Refused()
    {
        CardState state = CardState.CreateFresh();
        state.Entries.RemoveAt(0);
        var e = Assert.Throws<CardStateException>(() => new CardStateStore(StatePath).Save(state));
        Assert.Equal(CardStateError.Invalid, e.Error);
        Assert.False(File.Exists(StatePath));
    }

    private static string Serialize(CardState s) => JsonSerializer.Serialize(s);
}
