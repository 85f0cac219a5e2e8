using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Serve;

/// <summary>
/// The one SE <c>nanoagent serve</c> lends to all its front ends, with the lock they share. Besides what JRCP needs
/// (<see cref="ILentSe"/>) it has the PC/SC card operations, each mapped to the SE's own operation: power on = activate
/// the block protocol (resynchronise, read the ATR/CIP), reset = the protocol's soft reset, power off = end the session
/// (SE05x S(END OF APDU SESSION), GP S(RELEASE)); the ATR is <see cref="Se.IsoAtr"/>. The caller holds <see cref="Lock"/>
/// around every call.
/// </summary>
public sealed class ServedSe : ILentSe
{
    private readonly TransportLentSe _lent;
    private byte[]? _isoAtr;

    /// <summary>Creates the served SE over an opened-or-not connection.</summary>
    /// <param name="connection">The connection (not owned).</param>
    public ServedSe(SeConnection connection)
    {
        Connection = connection;
        _lent = new TransportLentSe(connection.Transport);
        Lock = new SeAccessLock(Drivers.Bus.SystemClock.Instance);
    }

    /// <summary>Gets the connection.</summary>
    public SeConnection Connection { get; }

    /// <summary>Gets the lock every front end takes around its use of the SE.</summary>
    public SeAccessLock Lock { get; }

    /// <summary>Gets the ISO/IEC 7816-3 ATR of the last activation, or null before one.</summary>
    public byte[]? LastIsoAtr => _isoAtr;

    /// <inheritdoc />
    public int ReadAtr(byte[] buffer, int offset)
    {
        int n = _lent.ReadAtr(buffer, offset);
        if (n > 0)
        {
            _isoAtr = IsoAtr.For(Connection.Transport);
        }

        return n;
    }

    /// <inheritdoc />
    public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
        _lent.Transmit(command, commandOffset, commandCount, response, responseOffset);

    /// <summary>Gets the PC/SC ATR, activating the SE if it is not; null when it cannot be reached.</summary>
    /// <returns>The ATR or null.</returns>
    public byte[]? ReadIsoAtr() => ReadAtr(new byte[300], 0) > 0 ? _isoAtr : null;

    /// <summary>PC/SC power on: activates the block protocol.</summary>
    /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
    public void PowerOn()
    {
        _lent.Invalidate();
        Connection.Transport.Open();
        _lent.Validate();
        _isoAtr = IsoAtr.For(Connection.Transport);
    }

    /// <summary>PC/SC reset: the protocol's soft reset.</summary>
    /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
    public void Reset()
    {
        Connection.Transport.SoftReset();
        _lent.Validate();
        _isoAtr = IsoAtr.For(Connection.Transport);
    }

    /// <summary>PC/SC power off: ends the SE's session; the next use activates it again.</summary>
    /// <exception cref="BlockProtocolException">The SE did not answer.</exception>
    public void PowerOff()
    {
        _lent.Invalidate();
        Connection.Transport.Close();
    }
}
