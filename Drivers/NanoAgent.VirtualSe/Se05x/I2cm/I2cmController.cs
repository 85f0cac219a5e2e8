using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.VirtualSe.Se05x.I2cm;

/// <summary>
/// Runs an I2CM command set (AN12413 §4.16; NXP fsl_sss_se05x_mw.c Se05x_i2c_master_txn, fsl_sss_se05x_types.h) on the
/// second bus. Operations are <c>tag length(2) value</c>: 01 configure (address, baud 00 = 100 kHz / 01 = 400 kHz),
/// 03 write (the bytes), 04 read (2-byte count). Each gets <c>tag status</c>, a successful read adds <c>length(2)
/// bytes</c>; status 5A is success, 01 NACK, 21 configuration error. A set that does not parse gets the single entry
/// <c>FF status</c> (11 invalid tag, 12 invalid length) and nothing runs. The first failing operation ends the set.
/// </summary>
public sealed class I2cmController
{
    /// <summary>The largest command set (se05x_const.h SE05X_I2CM_MAX_BUF_SIZE_CMD).</summary>
    public const int MaxCommandSet = 271;

    private const byte TagConfigure = 0x01;
    private const byte TagWrite = 0x03;
    private const byte TagRead = 0x04;
    private const byte Success = 0x5A;
    private const byte Nack = 0x01;
    private const byte InvalidTag = 0x11;
    private const byte InvalidLength = 0x12;
    private const byte ConfigError = 0x21;
    private const int MaxRead = 255;

    private readonly II2cBusFactory _bus;

    /// <summary>Creates the controller over a bus.</summary>
    /// <param name="bus">The second I2C bus.</param>
    public I2cmController(II2cBusFactory bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
    }

    /// <summary>Runs a command set and returns the result entries.</summary>
    /// <param name="set">The command set (TAG_1 of I2CM_ExecuteCommandSet).</param>
    /// <returns>The results (TAG_1 of the answer).</returns>
    public byte[] Execute(ReadOnlySpan<byte> set)
    {
        byte structural = Check(set);
        if (structural != 0)
        {
            return [0xFF, structural];
        }

        var results = new List<byte>();
        II2cBus? device = null;
        int p = 0;
        while (p < set.Length)
        {
            byte tag = set[p];
            int length = (set[p + 1] << 8) | set[p + 2];
            ReadOnlySpan<byte> value = set.Slice(p + 3, length);
            p += 3 + length;
            byte status = Success;
            byte[]? read = null;
            if (tag == TagConfigure)
            {
                bool ok = value[0] is >= 0x08 and <= 0x77 && value[1] is 0 or 1;
                device = ok ? _bus.Open(value[0]) : null;
                status = ok ? Success : ConfigError;
            }
            else if (device is null)
            {
                status = ConfigError;
            }
            else if (tag == TagWrite)
            {
                byte[] bytes = value.ToArray();
                status = device.Write(bytes, 0, bytes.Length).IsComplete ? Success : Nack;
            }
            else
            {
                read = new byte[(value[0] << 8) | value[1]];
                status = device.Read(read, 0, read.Length).IsComplete ? Success : Nack;
            }

            results.Add(tag);
            results.Add(status);
            if (status != Success)
            {
                break;
            }

            if (read is not null)
            {
                results.Add((byte)(read.Length >> 8));
                results.Add((byte)read.Length);
                results.AddRange(read);
            }
        }

        return [.. results];
    }

    private static byte Check(ReadOnlySpan<byte> set)
    {
        if (set.Length == 0)
        {
            return InvalidLength;
        }

        int p = 0;
        while (p < set.Length)
        {
            if (set.Length - p < 3)
            {
                return InvalidLength;
            }

            byte tag = set[p];
            int length = (set[p + 1] << 8) | set[p + 2];
            if (tag is not (TagConfigure or TagWrite or TagRead))
            {
                return InvalidTag;
            }

            if (length > set.Length - p - 3)
            {
                return InvalidLength;
            }

            bool fits = tag switch
            {
                TagConfigure => length == 2,
                TagWrite => length is >= 1 and <= 255,
                _ => length == 2 && ((set[p + 3] << 8) | set[p + 4]) is >= 1 and <= MaxRead,
            };
            if (!fits)
            {
                return InvalidLength;
            }

            p += 3 + length;
        }

        return 0;
    }
}
