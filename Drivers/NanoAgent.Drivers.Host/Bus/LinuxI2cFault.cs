using System.Globalization;
using System.Runtime.InteropServices;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Host.Bus;

/// <summary>
/// Turns the <see cref="IOException"/> that System.Device.Gpio throws for a failed Linux I2C transfer into a bus status.
/// </summary>
/// <remarks>
/// System.Device.Gpio 4.x (dotnet/iot <c>src/System.Device.Gpio/System/Device/I2c/UnixI2cBus.cs</c>, <c>WriteReadCore</c>)
/// issues one <c>I2C_RDWR</c> ioctl per call and, when it returns &lt; 0, throws
/// <c>IOException("Error {errno} performing I2C data transfer.")</c>: there is no transfer-result type on Linux, so the errno
/// in that message is all there is to tell a NACK from other faults.
/// Linux <c>Documentation/i2c/fault-codes.rst</c>: ENXIO means the address phase got no ACK; ETIMEDOUT an operation took too
/// long (e.g. a target stretching the clock). Several adapter drivers still report a NACK as EREMOTEIO (the nxp-nci fix
/// "Do not check specifically for -EREMOTEIO error" notes the codes are inconsistent across host drivers), so both count.
/// </remarks>
public static class LinuxI2cFault
{
    /// <summary>errno ENXIO (asm-generic): no such device or address.</summary>
    public const int Enxio = 6;

    /// <summary>errno ETIMEDOUT (asm-generic).</summary>
    public const int Etimedout = 110;

    /// <summary>errno EREMOTEIO (asm-generic).</summary>
    public const int Eremoteio = 121;

    private const string ErrorPrefix = "Error ";

    /// <summary>Maps an errno from a failed transfer to a bus status.</summary>
    /// <param name="errno">The errno value.</param>
    /// <returns>The status.</returns>
    public static BusTransferStatus FromErrno(int errno) => errno switch
    {
        Enxio or Eremoteio => BusTransferStatus.AddressNotAcknowledged,
        Etimedout => BusTransferStatus.ClockStretchTimeout,
        _ => BusTransferStatus.UnknownError,
    };

    /// <summary>Maps the exception of a failed transfer to a bus status.</summary>
    /// <param name="exception">The exception System.Device.Gpio threw.</param>
    /// <returns>The status.</returns>
    public static BusTransferStatus FromException(IOException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        int errno = ErrnoOf(exception);
        return errno < 0 ? BusTransferStatus.UnknownError : FromErrno(errno);
    }

    /// <summary>Reads the errno out of the exception message, falling back to the thread's last P/Invoke error.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The errno, or -1 if unknown.</returns>
    public static int ErrnoOf(IOException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string message = exception.Message;
        if (message.StartsWith(ErrorPrefix, StringComparison.Ordinal))
        {
            int end = ErrorPrefix.Length;
            while (end < message.Length && end - ErrorPrefix.Length < 6 && char.IsAsciiDigit(message[end]))
            {
                end++;
            }

            if (end > ErrorPrefix.Length
                && int.TryParse(message.AsSpan(ErrorPrefix.Length, end - ErrorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int errno))
            {
                return errno;
            }
        }

        // The ioctl was the last P/Invoke on this thread; its errno is still recorded.
        int last = Marshal.GetLastPInvokeError();
        return last > 0 ? last : -1;
    }
}
