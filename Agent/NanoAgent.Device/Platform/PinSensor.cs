using System;
using System.Device.Gpio;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Device.Platform
{
    /// <summary>The board's sample sensor input read as a digital level: one byte, 0 or 1, unit "level".</summary>
    public sealed class PinSensor : ISensor
    {
        private static readonly long UnixEpochTicks = new DateTime(1970, 1, 1).Ticks;
        private readonly GpioPin _pin;

        /// <summary>Opens the pin as an input.</summary>
        /// <param name="gpio">The controller.</param>
        /// <param name="pin">The pin number.</param>
        public PinSensor(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.Input);
        }

        /// <inheritdoc />
        public Reading Read()
        {
            long ms = (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;
            return new Reading("level", ms, new byte[] { _pin.Read() == PinValue.High ? (byte)1 : (byte)0 });
        }
    }
}
