using CsCheck;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

public class Se05xT1PropertyTests
{
    [Fact]
    public void RandomApdus_AtRandomIfs_SurviveTheRoundTrip()
    {
        Gen.Select(Gen.Byte.Array[1, 2000], Gen.Int[1, 254], Gen.Int[1, 254]).Sample((apdu, ifsc, ifsd) =>
        {
            var rig = new Se05xRig(ifsc: ifsc);
            rig.Host.Open();
            rig.Host.NegotiateIfsd(ifsd);

            Assert.Equal(Hex.Of(Se05xRig.Direct(apdu)), Hex.Of(rig.Send(apdu)));
            Assert.All(rig.HostFrames, f => Assert.True(f[2] <= ifsc));
        }, iter: 150);
    }

    [Fact]
    public void RandomExtendedApdus_WithRandomFaults_ArriveIntactOrFailCleanly()
    {
        Gen.Select(Gen.Int[1, 1500], Gen.Int[8, 254], Gen.Int[1, 30], Gen.Int[0, 5]).Sample((length, ifs, at, kind) =>
        {
            var rig = new Se05xRig(ifsc: ifs);
            rig.Host.Open();
            rig.Host.NegotiateIfsd(ifs);
            byte[] data = Se05xRig.Pattern(length);
            int frames = 0;
            bool armed = true;
            rig.Target.Target.HostFrame += _ =>
            {
                if (++frames != at || !armed)
                {
                    return;
                }

                switch (kind)
                {
                    case 0: rig.Faults.CorruptNextHostFrameAt = 4; break;
                    case 1: rig.Faults.CorruptNextSeFrameAt = 3; break;
                    case 2: rig.Faults.DropNextHostFrame = true; break;
                    case 3: rig.Faults.DropNextSeFrame = true; break;
                    case 4: rig.Faults.NackPolls = 30; break;
                    default: rig.Faults.ResetOnNextHostFrame = true; break;
                }
            };

            try
            {
                Assert.Equal(Hex.Of(Se05xRig.Echo(data)), Hex.Of(rig.Send(Se05xRig.Case4E(data))));
            }
            catch (BlockProtocolException e)
            {
                Assert.Equal(5, kind); // only a card reset may cost the command
                Assert.Equal(BlockProtocolError.DeviceReset, e.Error);
            }

            armed = false;
            rig.Faults.NackPolls = 0;
            Assert.Equal("A0019000", Hex.Of(rig.Send(Hex.Parse("00A4040002A001"))));
        }, iter: 300);
    }

    [Fact]
    public void GarbageBytes_HostThrowsOnlyBlockProtocolException_AndStops()
    {
        Gen.Byte.Array[0, 600].Sample(stream =>
        {
            var clock = new VirtualClock();
            var link = new GarbageLink(stream);
            var host = new Se05xT1Protocol(link, clock, null, false);
            byte[] response = new byte[300];
            try
            {
                host.Open();
                host.Transceive([0x00, 0xA4, 0x04, 0x00], 0, 4, response, 0);
            }
            catch (BlockProtocolException)
            {
            }

            Assert.True(clock.Milliseconds < 60_000, "bounded by the retry ladder on the virtual clock");
        }, iter: 1000);
    }

    [Fact]
    public void RandomValidFrames_HostThrowsOnlyBlockProtocolException_AndStops()
    {
        // Well-formed SE frames (NAD A5, right LEN and CRC) with random PCB and INF reach the state machine itself.
        byte[] likely = [0x00, 0x20, 0x40, 0x60, 0x80, 0x90, 0x82, 0xE0, 0xEF, 0xE7, 0xC3, 0xC1, 0xC2];
        var frame = Gen.Select(Gen.OneOf(Gen.Byte, Gen.Int[0, likely.Length - 1].Select(i => likely[i])), Gen.Byte.Array[0, 40]);
        frame.Array[0, 40].Sample(frames =>
        {
            var stream = new List<byte>();
            byte[] buffer = new byte[Se05xFrameCodec.MaxFrame];
            foreach (var (pcb, inf) in frames)
            {
                int n = Se05xFrameCodec.Encode(buffer, Se05xFrameCodec.NadSeToHost, pcb, inf, 0, inf.Length);
                stream.AddRange(buffer.AsSpan(0, n).ToArray());
            }

            var clock = new VirtualClock();
            var host = new Se05xT1Protocol(new GarbageLink(stream.ToArray()), clock, null, false);
            byte[] response = new byte[300];
            try
            {
                host.Open();
                host.Transceive(Se05xRig.Case4E(Se05xRig.Pattern(600)), 0, 609, response, 0);
            }
            catch (BlockProtocolException)
            {
            }

            // Bounded, not short: a random S(WTX) may legally ask for up to 255 x BWT (1 s) before the final timeout
            // (ISO/IEC 7816-3 §11.6.2.3), and the recovery ladder adds a few BWTs on top.
            Assert.True(clock.Milliseconds < 600_000, $"stopped only after {clock.Milliseconds} ms of virtual time");
        }, iter: 1000);
    }
}
