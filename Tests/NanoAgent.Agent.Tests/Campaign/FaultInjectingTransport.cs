using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.T1;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Agent.Tests.Campaign;

/// <summary>
/// Arms one random bus fault before some APDUs (bit flips both ways, dropped frames both ways, NACK storms, SE resets),
/// then hands the APDU to the real block protocol. After a broken exchange the link is opened again before the next APDU,
/// as the agent does when a run is reported interrupted.
/// </summary>
public sealed class FaultInjectingTransport(ISeTransport inner, BusFaults faults, Random random, double faultRate) : IApduTransport
{
    private bool _broken;

    public int Armed { get; private set; }

    public int Broken { get; private set; }

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        if (_broken)
        {
            _broken = false;
            inner.Open();
        }

        if (random.NextDouble() < faultRate)
        {
            Arm();
        }

        try
        {
            return inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
        }
        catch (BlockProtocolException)
        {
            Broken++;
            _broken = true;
            throw;
        }
    }

    private void Arm()
    {
        Armed++;
        switch (random.Next(7))
        {
            case 0: faults.CorruptNextHostFrameAt = random.Next(0, 12); break;
            case 1: faults.CorruptNextSeFrameAt = random.Next(0, 6); break;
            case 2: faults.DropNextHostFrame = true; break;
            case 3: faults.DropNextSeFrame = true; break;
            case 4: faults.NackPolls = random.Next(1, 40); break;
            case 5: faults.NackPolls = random.Next(200, 2000); break; // A storm longer than the host's patience.
            default: faults.ResetOnNextHostFrame = true; break;
        }
    }
}
