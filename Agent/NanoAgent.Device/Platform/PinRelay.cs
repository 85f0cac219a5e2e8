using System.Device.Gpio;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Device.Platform
{
    /// <summary>The board's sample relay output: command byte 0 opens, 1 closes; the result is the new state byte.</summary>
    public sealed class PinRelay : IActuator
    {
        private readonly GpioPin _pin;

        /// <summary>Opens the pin as an output, relay open.</summary>
        /// <param name="gpio">The controller.</param>
        /// <param name="pin">The pin number.</param>
        public PinRelay(GpioController gpio, int pin)
        {
            _pin = gpio.OpenPin(pin, PinMode.Output);
            _pin.Write(PinValue.Low);
        }

        /// <inheritdoc />
        public int Apply(byte[] command, int offset, int count, byte[] result, int resultOffset)
        {
            if (count != 1 || command[offset] > 1)
            {
                return -1;
            }

            _pin.Write(command[offset] == 1 ? PinValue.High : PinValue.Low);
            result[resultOffset] = command[offset];
            return 1;
        }
    }
}
