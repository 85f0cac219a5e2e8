using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// Many simulated devices in one process against one broker (<c>nanoagent fleet simulate</c>): each has its own virtual SE,
/// relay store and broker login (<see cref="SimulatedDevice"/>); a few pump threads run whichever devices have messages,
/// so a device costs memory but no thread.
/// </summary>
public sealed class FleetSimulator : IDisposable
{
    private readonly BlockingCollection<SimulatedDevice> _ready = new(new ConcurrentQueue<SimulatedDevice>());
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _pumps = [];
    private readonly Thread _ticker;
    private readonly List<SimulatedDevice> _devices;

    private FleetSimulator(List<SimulatedDevice> devices, int pumps)
    {
        _devices = devices;
        foreach (SimulatedDevice device in devices)
        {
            device.Wake += Schedule;
        }

        for (int i = 0; i < pumps; i++)
        {
            var pump = new Thread(Pump) { IsBackground = true, Name = $"fleet-pump-{i}" };
            _pumps.Add(pump);
            pump.Start();
        }

        _ticker = new Thread(Tick) { IsBackground = true, Name = "fleet-ticker" };
        _ticker.Start();
    }

    /// <summary>Gets the devices, in id order.</summary>
    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    /// <summary>Gets how many device runs failed with an unexpected exception (logged).</summary>
    public int Faults => Volatile.Read(ref _faults);

    private int _faults;

    /// <summary>Returns the id of device <paramref name="index"/> (1-based): the prefix and the number, at least 4 digits.</summary>
    /// <param name="prefix">The prefix, e.g. <c>sim-</c>.</param>
    /// <param name="index">The number.</param>
    /// <param name="count">How many devices (for the width).</param>
    /// <returns>The id, e.g. <c>sim-0042</c>.</returns>
    public static string DeviceId(string prefix, int index, int count) => prefix + index.ToString(new string('0', Math.Max(4, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Returns a device's broker password derived from a shared secret: the first 32 hex digits of
    /// HMAC-SHA256(secret, device id), so a users file for the broker can be written from the same secret.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="device">The device id.</param>
    /// <returns>The password.</returns>
    public static string DevicePassword(byte[] secret, string device) => Convert.ToHexString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(device)))[..32].ToLowerInvariant();

    /// <summary>Creates, provisions and connects the devices.</summary>
    /// <param name="options">How many, their names, the tenant, the broker.</param>
    /// <param name="log">Progress lines.</param>
    /// <returns>The running simulator.</returns>
    /// <exception cref="MqttConnectionException">The broker cannot be reached or refused a device's login.</exception>
    public static FleetSimulator Start(FleetSimulatorOptions options, TextWriter log)
    {
        var devices = new SimulatedDevice[options.Devices];
        var serials = new HashSet<uint>();
        for (int i = 0; i < devices.Length; i++)
        {
            string id = DeviceId(options.Prefix, options.FirstIndex + i, options.FirstIndex + options.Devices - 1);
            uint serial = SerialOf(id);
            while (!serials.Add(serial))
            {
                serial++;
            }

            devices[i] = new SimulatedDevice(id, serial, options.Tenant, options.Broker, options.Mqtt,
                options.PasswordSecret is null ? null : DevicePassword(options.PasswordSecret, id), options.SeLatency);
        }

        var simulator = new FleetSimulator([.. devices], options.Pumps);
        try
        {
            Parallel.ForEach(devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, d => d.Connect());
        }
        catch (AggregateException e) when (e.InnerException is MqttConnectionException inner)
        {
            simulator.Dispose();
            throw inner;
        }

        log.WriteLine($"fleet: {devices.Length} simulated devices online at {options.Broker} ({devices[0].Id} .. {devices[^1].Id}), tenant {options.Tenant.Id}");
        return simulator;
    }

    /// <summary>Returns a device's card serial number: FNV-1a of its id, so the same id gets the same card identity (and
    /// key diversification data) in every run.</summary>
    /// <param name="device">The device id.</param>
    /// <returns>The serial number.</returns>
    public static uint SerialOf(string device)
    {
        uint hash = 2166136261;
        foreach (char c in device)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }

    /// <summary>Stops the pumps and takes every device offline.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        foreach (Thread pump in _pumps)
        {
            pump.Join(TimeSpan.FromSeconds(5));
        }

        _ticker.Join(TimeSpan.FromSeconds(5));
        Parallel.ForEach(_devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, d => d.Dispose());
        _ready.Dispose();
    }

    private void Schedule(SimulatedDevice device)
    {
        if (device.TrySchedule())
        {
            try
            {
                _ready.Add(device);
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
                // Stopping.
            }
        }
    }

    private void Pump()
    {
        try
        {
            foreach (SimulatedDevice device in _ready.GetConsumingEnumerable(_stop.Token))
            {
                try
                {
                    device.Run();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bug or a broken link: counted and logged, as the real agent's loop does; the device keeps running.
                    Interlocked.Increment(ref _faults);
                    Console.Error.WriteLine($"fleet: {device.Id}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Interactive sessions end after the relay's idle timeout, which only a run notices: run devices with one open each second.
    private void Tick()
    {
        while (!_stop.Token.WaitHandle.WaitOne(1000))
        {
            foreach (SimulatedDevice device in _devices)
            {
                if (device.HasOpenSession)
                {
                    Schedule(device);
                }
            }
        }
    }
}
