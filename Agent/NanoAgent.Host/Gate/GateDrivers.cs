using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Runtime;

namespace NanoAgent.Host.Gate;

/// <summary>
/// Makes the host's drivers for a gating configuration (<see cref="GatingConfig"/>): the simulated meter, command sensors
/// and actuators, and GPIO outputs. A BME280 or a platform driver (no source line) exists only on the device.
/// </summary>
public static class GateDrivers
{
    /// <summary>How long a sensor or actuator command may run.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Makes a sensor's driver, with the configured unit.</summary>
    /// <param name="spec">The sensor.</param>
    /// <param name="log">Receives the driver's lines.</param>
    /// <returns>The driver; null for an attested sensor, which the SE itself reads (docs/se05x.md "Attested reads").</returns>
    /// <exception cref="AgentConfigException">The source does not run on a host.</exception>
    public static ISensor? Sensor(SensorSpec spec, Action<string> log)
    {
        if (spec.Source == SensorSource.Attested)
        {
            return null;
        }

        ISensor sensor = spec.Source switch
        {
            SensorSource.Meter => new SimulatedMeter(spec.SourceArgument == "voltage" ? MeterQuantity.Voltage : MeterQuantity.Energy, Environment.TickCount),
            SensorSource.Command => new CommandSensor(spec.SourceArgument!, spec.Unit ?? string.Empty, CommandTimeout, line => log($"sensor {spec.Id}: {line}")),
            SensorSource.Bme280 => throw Unsupported(spec.Line, $"sensor.{spec.Id}.source = bme280 is read by the device firmware; on a Linux host use 'command' (e.g. a script that reads the chip)"),
            _ => throw Unsupported(spec.Line, $"sensor.{spec.Id} needs a 'sensor.{spec.Id}.source' line on a host (meter or command)"),
        };
        return spec.Unit is null || spec.Source == SensorSource.Command ? sensor : new UnitSensor(sensor, spec.Unit);
    }

    /// <summary>Makes an actuator's driver; a GPIO pin is opened now.</summary>
    /// <param name="spec">The actuator.</param>
    /// <param name="log">Receives the driver's lines.</param>
    /// <returns>The driver.</returns>
    /// <exception cref="AgentConfigException">The actuator has neither a pin nor a command.</exception>
    /// <exception cref="GpioUnavailableException">The GPIO line cannot be opened.</exception>
    public static IActuator Actuator(ActuatorSpec spec, Action<string> log) => spec.Drive switch
    {
        ActuatorDrive.Command => new CommandActuator(spec.Command, CommandTimeout, line => log($"actuator {spec.Id}: {line}")),
        ActuatorDrive.Pin => new GpioActuator(spec.Pin),
        _ => throw Unsupported(spec.Line, $"actuator.{spec.Id} needs 'actuator.{spec.Id}.pin' or 'actuator.{spec.Id}.command' on a host"),
    };

    private static AgentConfigException Unsupported(int line, string message) => new(AgentConfigError.BadValue, line, message);
}
