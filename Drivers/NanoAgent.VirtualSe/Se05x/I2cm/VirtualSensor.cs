using NanoAgent.Drivers.Bus;

namespace NanoAgent.VirtualSe.Se05x.I2cm;

/// <summary>
/// A small register-map sensor on the virtual SE05x's second I2C bus (the one its I2C controller drives; AN12413 §4.16),
/// made up for tests: write a register pointer, then read bytes from it with auto-increment (as most I2C sensors do).
/// Registers: 00 id (<see cref="ChipId"/>); 01-02 temperature in 0.01 °C, signed big-endian; 03-05 pressure in Pa,
/// unsigned big-endian; 06 sample counter (raised by every read that starts at 01); 07 configuration (writable);
/// 08-0F read FF. A test sets <see cref="TemperatureCentiCelsius"/> and <see cref="PressurePascal"/>.
/// </summary>
public sealed class VirtualSensor : II2cBus
{
    /// <summary>The value of register 00.</summary>
    public const byte ChipId = 0xA7;

    /// <summary>The register holding the temperature's high byte.</summary>
    public const byte TemperatureRegister = 0x01;

    /// <summary>The register holding the pressure's high byte.</summary>
    public const byte PressureRegister = 0x03;

    /// <summary>The writable configuration register.</summary>
    public const byte ConfigRegister = 0x07;

    private readonly byte[] _registers = new byte[16];
    private int _pointer;

    /// <summary>Creates the sensor at an address.</summary>
    /// <param name="address">Its 7-bit I2C address (default 0x44).</param>
    public VirtualSensor(int address = 0x44)
    {
        Address = address;
    }

    /// <inheritdoc />
    public int Address { get; }

    /// <summary>Gets or sets the temperature in hundredths of a degree Celsius.</summary>
    public short TemperatureCentiCelsius { get; set; } = 2150;

    /// <summary>Gets or sets the pressure in pascal (0 to 16777215).</summary>
    public int PressurePascal { get; set; } = 101325;

    /// <summary>Gets or sets whether the sensor does not acknowledge its address (unplugged).</summary>
    public bool Absent { get; set; }

    /// <summary>Gets the configuration register as last written.</summary>
    public byte Config => _registers[ConfigRegister];

    /// <summary>Gets how many reads started at the temperature register.</summary>
    public int Samples { get; private set; }

    /// <inheritdoc />
    public BusTransferResult Write(byte[] buffer, int offset, int count)
    {
        if (Absent || count < 1)
        {
            return new BusTransferResult(BusTransferStatus.AddressNotAcknowledged, 0);
        }

        _pointer = buffer[offset] & 0x0F;
        for (int i = 1; i < count; i++)
        {
            if (_pointer == ConfigRegister)
            {
                _registers[ConfigRegister] = buffer[offset + i];
            }

            _pointer = (_pointer + 1) & 0x0F;
        }

        return new BusTransferResult(BusTransferStatus.FullTransfer, count);
    }

    /// <inheritdoc />
    public BusTransferResult Read(byte[] buffer, int offset, int count)
    {
        if (Absent)
        {
            return new BusTransferResult(BusTransferStatus.AddressNotAcknowledged, 0);
        }

        if (_pointer == TemperatureRegister)
        {
            Samples++;
        }

        Refresh();
        for (int i = 0; i < count; i++)
        {
            buffer[offset + i] = _registers[_pointer];
            _pointer = (_pointer + 1) & 0x0F;
        }

        return new BusTransferResult(BusTransferStatus.FullTransfer, count);
    }

    /// <inheritdoc />
    public BusTransferResult WriteRead(byte[] writeBuffer, int writeOffset, int writeCount, byte[] readBuffer, int readOffset, int readCount)
    {
        BusTransferResult w = Write(writeBuffer, writeOffset, writeCount);
        return w.IsComplete ? Read(readBuffer, readOffset, readCount) : w;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Refresh()
    {
        _registers[0] = ChipId;
        _registers[1] = (byte)(TemperatureCentiCelsius >> 8);
        _registers[2] = (byte)TemperatureCentiCelsius;
        _registers[3] = (byte)(PressurePascal >> 16);
        _registers[4] = (byte)(PressurePascal >> 8);
        _registers[5] = (byte)PressurePascal;
        _registers[6] = (byte)Samples;
        for (int r = 8; r < 16; r++)
        {
            _registers[r] = 0xFF;
        }
    }
}
