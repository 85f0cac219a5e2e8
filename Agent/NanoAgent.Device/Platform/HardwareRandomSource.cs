using System;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// <see cref="IRandomSource"/> over nanoFramework's <c>System.Random</c>, which on this project's targets is not a
    /// seeded PRNG: the interpreter's <c>CLR_RT_Random</c> calls <c>esp_random()</c> on ESP32 (a hardware RNG that is truly
    /// random only while Wi-Fi or Bluetooth is on, which it is once the network is up) and the RNG/TRNG peripheral on the
    /// ChibiOS STM32 targets. A board whose target falls back to <c>rand()</c> must not use this class.
    /// </summary>
    public sealed class HardwareRandomSource : IRandomSource
    {
        private readonly Random _random = new Random();

        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            if (offset == 0 && count == buffer.Length)
            {
                _random.NextBytes(buffer);
                return;
            }

            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)_random.Next(256);
            }
        }
    }
}
