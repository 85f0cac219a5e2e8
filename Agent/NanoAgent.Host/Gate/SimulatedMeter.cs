using System.Buffers.Binary;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Gate;

/// <summary>What a <see cref="SimulatedMeter"/> measures.</summary>
public enum MeterQuantity
{
    /// <summary>Cumulative energy in kWh (never decreases).</summary>
    Energy,

    /// <summary>Line voltage in V (around 230 V).</summary>
    Voltage,
}

/// <summary>
/// A smart-meter stand-in: deterministic readings from a seed. The value is an 8-byte big-endian signed count of
/// milli-units (Wh for "kWh", mV for "V"); the timestamp comes from a caller's clock (milliseconds since 1970).
/// </summary>
public sealed class SimulatedMeter : ISensor
{
    private readonly MeterQuantity _quantity;
    private readonly Random _random;
    private readonly Func<long> _clock;
    private long _energyMilli;

    /// <summary>Creates a meter.</summary>
    /// <param name="quantity">What it measures.</param>
    /// <param name="seed">The seed; the same seed gives the same values.</param>
    /// <param name="clock">Returns "now" in milliseconds since 1970; null for the system clock.</param>
    public SimulatedMeter(MeterQuantity quantity, int seed, Func<long>? clock = null)
    {
        _quantity = quantity;
        _random = new Random(seed);
        _clock = clock ?? (() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _energyMilli = 1_000_000 + _random.Next(0, 1_000_000);
    }

    /// <summary>Gets the unit: "kWh" or "V".</summary>
    public string Unit => _quantity == MeterQuantity.Energy ? "kWh" : "V";

    /// <inheritdoc />
    public Reading Read()
    {
        long milli = _quantity == MeterQuantity.Energy
            ? _energyMilli += _random.Next(0, 250)
            : 230_000 + _random.Next(-6_000, 6_000);
        byte[] value = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(value, milli);
        return new Reading(Unit, _clock(), value);
    }

    /// <summary>Decodes a value this meter produced.</summary>
    /// <param name="value">The 8 value bytes.</param>
    /// <returns>The quantity in units (kWh or V).</returns>
    public static decimal Decode(byte[] value) => BinaryPrimitives.ReadInt64BigEndian(value) / 1000m;
}
