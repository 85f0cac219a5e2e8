using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

public class Se05xT1RecoveryTests
{
    private static readonly byte[] Select = Hex.Parse("00A4040003A00102");

    [Fact]
    public void Acceptance_1KExtendedApduAtIfsc32_WithCrcErrorAndDroppedBlock_ArrivesIntact()
    {
        var rig = new Se05xRig(ifsc: 32);
        rig.Host.Open();
        rig.Host.NegotiateIfsd(32);
        byte[] data = Se05xRig.Pattern(1024);
        byte[] apdu = Se05xRig.Case4E(data);
        Assert.Equal(1033, apdu.Length);
        int frames = 0;
        rig.Target.Target.HostFrame += _ =>
        {
            frames++;
            if (frames == 5)
            {
                rig.Faults.CorruptNextHostFrameAt = 10; // a byte of the next command block's INF
            }
            else if (frames == 20)
            {
                rig.Faults.DropNextSeFrame = true; // the card's answer to this block is lost
            }
        };

        byte[] response = rig.Send(apdu);

        Assert.Equal(1026, response.Length);
        Assert.Equal(Hex.Of(Se05xRig.Echo(data)), Hex.Of(response));
        Assert.Equal(2, rig.Faults.Fired);
        Assert.Equal(1, rig.Responder.BadFrames);
        Assert.Equal(1, rig.Responder.CommandsProcessed);
    }

    [Theory]
    [InlineData(3, false)] // command chain: corrupt host block, lost card block
    [InlineData(40, true)] // response chain: corrupt card block, lost host R-ack
    public void Chain_FaultsEitherDirection_Recovered(int at, bool seSide)
    {
        var rig = new Se05xRig(ifsc: 32);
        rig.Host.Open();
        rig.Host.NegotiateIfsd(32);
        byte[] data = Se05xRig.Pattern(1024);
        int frames = 0;
        rig.Target.Target.HostFrame += _ =>
        {
            if (++frames == at)
            {
                if (seSide)
                {
                    rig.Faults.CorruptNextSeFrameAt = 5;
                }
                else
                {
                    rig.Faults.CorruptNextHostFrameAt = 7;
                }
            }
            else if (frames == at + 3)
            {
                if (seSide)
                {
                    rig.Faults.DropNextHostFrame = true;
                }
                else
                {
                    rig.Faults.DropNextSeFrame = true;
                }
            }
        };

        Assert.Equal(Hex.Of(Se05xRig.Echo(data)), Hex.Of(rig.Send(Se05xRig.Case4E(data))));
        Assert.Equal(2, rig.Faults.Fired);
    }

    [Theory]
    [InlineData(0)] // NAD
    [InlineData(1)] // PCB
    [InlineData(2)] // LEN
    [InlineData(3)] // INF
    [InlineData(8)] // CRC
    public void CorruptSeFrame_AnyByte_Recovered(int at)
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Faults.CorruptNextSeFrameAt = at;

        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
        Assert.Equal(1, rig.Faults.Fired);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(11)]
    public void CorruptHostFrame_AnyByte_Recovered(int at)
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Faults.CorruptNextHostFrameAt = at;

        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
        Assert.Equal(1, rig.Card.Commands);
    }

    [Fact]
    public void DroppedFrames_BothDirections_Recovered()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Faults.DropNextHostFrame = true;
        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
        rig.Faults.DropNextSeFrame = true;
        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
        Assert.Equal(2, rig.Card.Commands); // the lost response was retransmitted, not re-executed
    }

    [Fact]
    public void NackPolls_HostKeepsPolling()
    {
        var rig = new Se05xRig(busyPolls: 5);
        rig.Host.Open();
        rig.Faults.NackPolls = 200;

        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
        Assert.True(rig.Target.Target.BusyRefusals >= 205);
        Assert.True(rig.Clock.TotalSlept >= 200);
    }

    [Fact]
    public void SeResetMidChain_ThrowsDeviceReset_NextTransceiveSucceeds()
    {
        var rig = new Se05xRig(ifsc: 32);
        rig.Host.Open();
        int frames = 0;
        rig.Target.Target.HostFrame += _ =>
        {
            if (++frames == 2)
            {
                rig.Faults.ResetOnNextHostFrame = true; // fires on this frame: the second command block, N(S)=1
            }
        };

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Se05xRig.Case4E(Se05xRig.Pattern(200))));

        Assert.Equal(BlockProtocolError.DeviceReset, e.Error);
        Assert.Equal(0, rig.Card.Commands);
        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
    }

    [Fact]
    public void DeviceAbsent_ThrowsNoDevice_WithoutHanging_ThenRecovers()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        rig.Faults.Absent = true;

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Select));

        Assert.Equal(BlockProtocolError.NoDevice, e.Error);
        Assert.True(rig.Clock.Milliseconds < 100);
        rig.Faults.Absent = false;
        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
    }

    [Fact]
    public void OpenWithDeviceAbsent_ThrowsNoDevice()
    {
        var rig = new Se05xRig();
        rig.Faults.Absent = true;
        Assert.Equal(BlockProtocolError.NoDevice, Assert.Throws<BlockProtocolException>(() => rig.Host.Open()).Error);
        Assert.False(rig.Host.IsOpen);
    }

    [Fact]
    public void SeSilent_ThrowsTimeout_AfterLadder_ThenRecovers()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        bool silent = true;
        rig.Target.Target.HostFrame += _ => rig.Faults.DropNextSeFrame = silent;

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Select));

        Assert.Equal(BlockProtocolError.Timeout, e.Error);
        Assert.Contains(rig.HostFrames, f => f[1] == 0xC0); // tried RESYNCH
        Assert.Contains(rig.HostFrames, f => f[1] == 0xCF); // then interface soft reset
        silent = false;
        rig.Faults.DropNextSeFrame = false;
        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
    }

    [Fact]
    public void SeAlwaysCorrupt_ThrowsRetriesExhausted_AfterTwoNacks()
    {
        var rig = new Se05xRig();
        rig.Host.Open();
        bool corrupt = true;
        rig.Target.Target.HostFrame += _ => rig.Faults.CorruptNextSeFrameAt = corrupt ? 4 : -1;

        var e = Assert.Throws<BlockProtocolException>(() => rig.Send(Select));

        Assert.Equal(BlockProtocolError.RetriesExhausted, e.Error);
        Assert.Equal(2, rig.HostFrames.Count(f => f[1] == 0x81)); // R(NACK, CRC) at most twice (NXP MAX_RNACK_RETRY_LIMIT)
        corrupt = false;
        rig.Faults.CorruptNextSeFrameAt = -1;
        Assert.Equal("A001029000", Hex.Of(rig.Send(Select)));
    }
}
