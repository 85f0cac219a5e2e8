using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.Se05x.State;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>The virtual SE05x's state document: where it lives, what survives a restart, what a bad file gets.</summary>
public sealed class Se05xStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory().FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void StateLivesNextToTheStateFile_AndSurvivesRestarts()
    {
        string state = Path.Combine(_dir, "se.json");
        var first = VirtualSecureElement.Create(VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, state, se05x: new Se05xCardOptions { AppletMajor = 7 });
        Assert.Equal(Path.Combine(_dir, "se.se05x.json"), first.Se05x!.Store.Path);
        var response = new byte[64];
        first.Se05x.Process(Hex.Parse("00A4040010A000000396545300000001030000000000"), response);
        first.Se05x.Process(Hex.Parse("800108000A 410430000001 42020004"), response); // CreateCounter, 4 bytes
        Assert.NotNull(first.Se05x.Snapshot().Find(0x30000001));

        // Applet 3 asked for, but the file holds a 7.x card: the card keeps what it was made with.
        var second = VirtualSecureElement.Create(VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, state, se05x: new Se05xCardOptions { AppletMajor = 3 });
        Assert.Equal(7, second.Se05x!.AppletMajor);
        Assert.Equal(1024, second.Se05x.MaxPayload);
        Assert.NotNull(second.Se05x.Snapshot().Find(0x30000001));
        Assert.False(File.Exists(state), "the GP card's state file is not made for the SE05x card");
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("null")]
    [InlineData("{\"Version\": 9}")]
    [InlineData("{\"Card\": \"gp\", \"Identity\": {}}")]
    [InlineData("{\"AppletMajor\": 5, \"Identity\": {}}")]
    [InlineData("{\"Identity\": {}, \"Objects\": [{\"Id\": 1, \"Type\": \"Counter\", \"Value\": \"00112233445566778899\"}]}")]
    public void CorruptFile_CardStateExceptionNamingThePath_FileUntouched(string json)
    {
        string path = Path.Combine(_dir, "bad.se05x.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<CardStateException>(() => new Se05xCard(Se05xStateStore.ForFile(path, 3)));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(json, File.ReadAllText(path));
    }

    [Fact]
    public void PowerCutOverTheBus_NoAnswerThenTheHostResynchronisesAndTheCardAnswersAgain()
    {
        string state = Path.Combine(_dir, "se.json");
        var se = VirtualSecureElement.Create(VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, state);
        using var block = se.CreateHostTransport(new VirtualClock());
        block.Open();
        var objects = new Se05xObjectCommands();
        var buffer = new byte[300];
        var answer = new byte[300];
        int n = block.Transceive(buffer, 0, objects.Select(buffer, 0), answer, 0);
        Assert.Equal("9000", Hex.Of(answer, n - 2, 2));
        se.Se05x!.NvmFaults.CutAtCommit = 1;
        se.Se05x.NvmFaults.Where = Se05xPowerCut.AfterWrite;
        Assert.ThrowsAny<Exception>(() => block.Transceive(buffer, 0, objects.CreateCounter(0x30000001, 4, 0, null!, 0, 0, buffer, 0), answer, 0));
        Assert.Equal(1, se.Se05x.PowerCuts);

        // The card restarted (ISD selected, state after the command): the host opens the link again and goes on.
        block.Open();
        n = block.Transceive(buffer, 0, objects.Select(buffer, 0), answer, 0);
        Assert.Equal("9000", Hex.Of(answer, n - 2, 2));
        n = block.Transceive(buffer, 0, objects.CheckObjectExists(0x30000001, buffer, 0), answer, 0);
        Assert.Equal("4101019000", Hex.Of(answer, 0, n));
    }
}
