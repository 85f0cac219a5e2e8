using System.Device.I2c;

namespace NanoAgent.Drivers.Tests.Host.Bus;

/// <summary>
/// System.Device.Gpio <see cref="I2cDevice"/> that fails the way UnixI2cBus does: an IOException whose message carries the errno.
/// </summary>
internal sealed class FakeI2cDevice : I2cDevice
{
    private readonly I2cConnectionSettings _settings;

    public FakeI2cDevice(int address) => _settings = new I2cConnectionSettings(1, address);

    /// <summary>errno to fail the next transfers with, or 0 to succeed.</summary>
    public int FailWithErrno { get; set; }

    public byte[] Written { get; private set; } = [];

    public byte[] ToRead { get; set; } = [];

    public bool Disposed { get; private set; }

    public override I2cConnectionSettings ConnectionSettings => _settings;

    public override byte ReadByte() => throw new NotSupportedException();

    public override void WriteByte(byte value) => throw new NotSupportedException();

    public override void Read(Span<byte> buffer)
    {
        Fail();
        ToRead.AsSpan(0, buffer.Length).CopyTo(buffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Fail();
        Written = buffer.ToArray();
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Fail()
    {
        if (FailWithErrno != 0)
        {
            throw new IOException($"Error {FailWithErrno} performing I2C data transfer.");
        }
    }
}
