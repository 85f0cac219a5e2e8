using System.Device.Gpio;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Gate;

/// <summary>
/// A GPIO output on a Linux host (<c>actuator.&lt;id&gt;.pin = N</c>, the chip's line number, through System.Device.Gpio): command
/// byte 00 sets it low, 01 high, anything else is refused; the result is the new level byte. The pin is opened as a low
/// output when the agent starts, so a missing GPIO chip or a busy line stops the start with a clear error.
/// </summary>
public sealed class GpioActuator : IActuator, IDisposable
{
    private readonly GpioController _gpio;
    private readonly int _pin;

    /// <summary>Opens the pin as an output, low.</summary>
    /// <param name="pin">The line number.</param>
    /// <exception cref="GpioUnavailableException">The GPIO chip or line cannot be opened (wraps the platform's own exception).</exception>
    public GpioActuator(int pin)
    {
        _pin = pin;
        try
        {
            _gpio = new GpioController();
            _gpio.OpenPin(pin, PinMode.Output);
            _gpio.Write(pin, PinValue.Low);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _gpio?.Dispose();
            throw new GpioUnavailableException($"GPIO line {pin} cannot be opened as an output ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <inheritdoc />
    public int Apply(byte[] command, int offset, int count, byte[] result, int resultOffset)
    {
        if (count != 1 || command[offset] > 1)
        {
            return -1;
        }

        _gpio.Write(_pin, command[offset] == 1 ? PinValue.High : PinValue.Low);
        result[resultOffset] = command[offset];
        return 1;
    }

    /// <inheritdoc />
    public void Dispose() => _gpio.Dispose();
}
