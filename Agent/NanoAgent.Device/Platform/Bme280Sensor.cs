using System;
using System.IO;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// A Bosch BME280 on the SE's I2C bus (nanoFramework.Iot.Device.Bmxx80), read as temperature in °C. The value has the
    /// simulated meter's encoding (Agent/NanoAgent.Host/Gate/SimulatedMeter.cs, docs/gating.md): an 8-byte big-endian signed
    /// count of milli-units, here thousandths of a degree Celsius, so the host tools decode it without knowing the sensor.
    /// </summary>
    public sealed class Bme280Sensor : ISensor, IDisposable
    {
        /// <summary>The unit of every reading: degrees Celsius (UTF-8 C2 B0 43).</summary>
        public const string Unit = "\u00B0C";

        private static readonly long UnixEpochTicks = new DateTime(1970, 1, 1).Ticks;
        private readonly Bme280 _device;

        /// <summary>Takes over an opened BME280 binding; it is disposed with this sensor.</summary>
        /// <param name="device">The binding, created over the I2C device at the sensor's address (0x76 or 0x77).</param>
        public Bme280Sensor(Bme280 device)
        {
            _device = device;
        }

        /// <inheritdoc />
        /// <exception cref="IOException">The chip gave no valid temperature (for example its measurement was skipped).</exception>
        public Reading Read()
        {
            // Bme280.Read() forces one measurement when the chip sleeps and waits for it (Bosch BME280 datasheet §3.3, sensor modes).
            Bme280ReadResult result = _device.Read();
            if (!result.TemperatureIsValid)
            {
                throw new IOException("BME280: no valid temperature");
            }

            double celsius = result.Temperature.DegreesCelsius;
            long milli = (long)(celsius * 1000.0 + (celsius >= 0 ? 0.5 : -0.5));
            long ms = (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;
            return new Reading(Unit, ms, EncodeMilli(milli));
        }

        /// <summary>Releases the binding and its I2C device.</summary>
        public void Dispose()
        {
            _device.Dispose();
        }

        // docs/gating.md: 8 bytes, big-endian, two's complement count of thousandths.
        private static byte[] EncodeMilli(long milli)
        {
            byte[] value = new byte[8];
            for (int i = 7; i >= 0; i--)
            {
                value[i] = (byte)milli;
                milli >>= 8;
            }

            return value;
        }
    }
}
