namespace NanoAgent.Agent.Runtime
{
    /// <summary>Where a configured sensor's readings come from (<c>sensor.&lt;id&gt;.source</c>).</summary>
    public enum SensorSource
    {
        /// <summary>No source line: the platform supplies a driver under the sensor's id (the board's sample input, for example).</summary>
        Platform = 0,

        /// <summary><c>meter [energy|voltage]</c>: the host's simulated smart meter.</summary>
        Meter = 1,

        /// <summary><c>bme280</c>: a Bosch BME280 on the SE's I2C bus (the device firmware), temperature in °C.</summary>
        Bme280 = 2,

        /// <summary><c>command &lt;command line&gt;</c>: a command run by the host (Linux), the first number it prints is the value.</summary>
        Command = 3,

        /// <summary><c>attested &lt;addrHex&gt; &lt;writeHex&gt; &lt;length&gt;</c>: a sensor on an SE05x's own I2C bus, read by the SE and
        /// signed by it on each backend's request (docs/se05x.md "Attested reads"); needs <c>se.card = se05x</c>.</summary>
        Attested = 4,
    }
}
