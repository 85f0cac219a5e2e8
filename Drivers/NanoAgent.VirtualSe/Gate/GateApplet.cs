using System.Buffers.Binary;
using System.Security.Cryptography;
using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Scp03;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// The gate application of the virtual SE (docs/gating.md): signs sensor readings with a per-tenant key under a
/// monotonic counter and verifies actuator commands MAC'd by the tenant's backend, rejecting replays. Keys are put only
/// through the owning tenant's SCP03 session (INSTALL [for personalization] + STORE DATA with C-DECRYPTION, see
/// <see cref="GatePersonalization"/>) and never leave the card. Counters are written ahead: reading counters are reserved
/// in blocks of <see cref="ReadingCounterBlock"/> (the reservation is saved before any MAC under it is released, the
/// counters are then handed out from RAM), the accepted command counter is saved before '9000'; so a power loss or card
/// reset loses values (a gap) but never repeats one (docs/gating.md, Counters).
/// Instances: every application whose AID starts with <see cref="AidPrefix"/> (install them from the sample load file).
/// </summary>
public sealed class GateApplet : IPersonalizedApplet, IVolatileStateApplet
{
    /// <summary>The AID prefix of gate instances: 'F06E616E6F4741' (proprietary 'F0' + "nano" + "GA").</summary>
    public static readonly byte[] AidPrefix = Convert.FromHexString("F06E616E6F4741");

    /// <summary>The proprietary class of the gate commands.</summary>
    public const byte Cla = 0x80;

    /// <summary>SIGN READING: P1 '00' CMAC, '01' ECDSA; data = reading; answer counter(8) || MAC(16) || KCV(3), or counter(8) || r||s (64).</summary>
    public const byte InsSignReading = 0xA0;

    /// <summary>VERIFY COMMAND: data = counter(8) || payload || MAC(16); '9000' accepted, '6982' bad MAC, '6985' replay.</summary>
    public const byte InsVerifyCommand = 0xA2;

    /// <summary>GET DATA: P1-P2 '7F49' public key, '00C1' gate status.</summary>
    public const byte InsGetData = 0xCA;

    /// <summary>The most reading or payload bytes one command carries.</summary>
    public const int MaxDataLength = 200;

    /// <summary>
    /// Reading counters reserved by one save: a reading every 15 minutes and a card reset a day cost two NVM writes a
    /// day instead of 96 (docs/longevity.md); a reset skips at most this many values.
    /// </summary>
    public const int ReadingCounterBlock = 64;

    private readonly CardManager _card;
    private readonly IGateStore _store;
    private readonly byte[] _input = new byte[GateMac.MaxInputLength];
    private readonly byte[] _mac = new byte[16];

    // RAM (CLEAR_ON_RESET): per instance AID, the last reading counter handed out and the saved reservation it runs under.
    private readonly Dictionary<string, ReadingCounterWindow> _readingWindows = new(StringComparer.Ordinal);

    /// <summary>Creates the applet over a card and its gate memory; call <see cref="Install"/> to bind it.</summary>
    /// <param name="card">The card (its registry tells who owns an instance).</param>
    /// <param name="store">The gate's persistent memory.</param>
    public GateApplet(CardManager card, IGateStore store)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(store);
        _card = card;
        _store = store;
    }

    /// <summary>Creates the applet and binds it to every gate instance AID of the card.</summary>
    /// <param name="card">The card.</param>
    /// <param name="store">The gate memory.</param>
    /// <returns>The applet.</returns>
    public static GateApplet Install(CardManager card, IGateStore store)
    {
        var applet = new GateApplet(card, store);
        card.RegisterAppletPrefix(AidPrefix, applet);
        return applet;
    }

    /// <inheritdoc />
    public CardReply Select(RegistryEntry entry, LogicalChannel channel, Span<byte> output)
    {
        int at = TlvBytes.Write(output[TlvBytes.HeaderRoom..], 0x84, entry.Aid);
        return CardReply.Data(TlvBytes.Wrap(output, 0x6F, at));
    }

    /// <inheritdoc />
    public void Deselect(LogicalChannel channel)
    {
    }

    /// <inheritdoc />
    /// <remarks>The next reading of every instance starts above its saved reservation.</remarks>
    public void ClearOnReset() => _readingWindows.Clear();

    /// <inheritdoc />
    public CardReply Process(in CardCommand command, LogicalChannel channel, Span<byte> output)
    {
        RegistryEntry entry = channel.Selected!;
        if (command.Class.SecureMessaging)
        {
            return CardReply.Status(StatusWords.SecureMessagingNotSupported);
        }

        if (command.Ins == InsGetData)
        {
            GateRecord? keyed = Keyed(entry);
            return GateData.Process(keyed, keyed is null ? 0 : WindowOf(keyed).Last, command, output);
        }

        if (command.Ins is not (InsSignReading or InsVerifyCommand))
        {
            return CardReply.Status(StatusWords.InsNotSupported);
        }

        if (!command.Class.IsProprietary)
        {
            return CardReply.Status(StatusWords.ClaNotSupported);
        }

        if (command.Data.Length > MaxDataLength + 24)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        GateRecord? record = Keyed(entry);
        return command.Ins == InsSignReading ? Sign(entry, record, command, output) : Verify(entry, record, command);
    }

    /// <inheritdoc />
    public CardReply StoreData(RegistryEntry instance, RegistryEntry securityDomain, byte securityLevel, in CardCommand command)
    {
        string aid = Convert.ToHexString(instance.Aid);
        GateRecord current = _store.Find(aid) ?? new GateRecord { Aid = aid };
        ushort sw = GatePersonalization.Apply(current, Convert.ToHexString(securityDomain.Aid), securityLevel, command.Data, out GateRecord? next);
        return CardReply.Status(sw == StatusWords.Ok ? Persist(next!) : sw);
    }

    /// <summary>The instance's record when its keys belong to the SD the registry names as owner; else null.</summary>
    private GateRecord? Keyed(RegistryEntry entry)
    {
        GateRecord? record = _store.Find(Convert.ToHexString(entry.Aid));
        string owner = entry.AssociatedSecurityDomain is { } sd ? Convert.ToHexString(sd) : string.Empty;
        return record is not null && record.Owner == owner ? record : null;
    }

    private CardReply Sign(RegistryEntry entry, GateRecord? record, in CardCommand command, Span<byte> output)
    {
        if (command.P2 != 0 || command.P1 > 1)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        if (command.Data.IsEmpty || command.Data.Length > MaxDataLength)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        bool ecdsa = command.P1 == 1;
        if (record is null || (ecdsa ? record.EcPrivateKey : record.MacKey) is null)
        {
            return CardReply.Status(StatusWords.ReferencedDataNotFound);
        }

        ReadingCounterWindow window = WindowOf(record);
        if (window.Last == ulong.MaxValue)
        {
            return CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        if (window.Last == window.Reserved)
        {
            // Write-ahead: the next block is durable before any MAC over a counter in it leaves the card.
            GateRecord next = record.Clone();
            next.ReadingCounter = ulong.MaxValue - window.Last < ReadingCounterBlock ? ulong.MaxValue : window.Last + ReadingCounterBlock;
            ushort saved = Persist(next);
            if (saved != StatusWords.Ok)
            {
                return CardReply.Status(saved);
            }

            window.Reserved = next.ReadingCounter;
        }

        ulong counter = ++window.Last;
        int n = GateMac.BuildInput(_input, GateMac.ReadingLabel, entry.Aid, counter, command.Data);
        BinaryPrimitives.WriteUInt64BigEndian(output, counter);
        if (ecdsa)
        {
            using ECDsa key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(record.EcPrivateKey, out _);
            int written = key.SignData(_input.AsSpan(0, n), output[8..], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return CardReply.Data(8 + written);
        }

        GateMac.Cmac(record.MacKey!, _input, n, _mac);
        _mac.CopyTo(output[8..]);
        GateMac.KeyCheckValue(record.MacKey!).CopyTo(output[24..]);
        return CardReply.Data(8 + 16 + 3);
    }

    /// <summary>
    /// The instance's RAM window, valid only while its reservation is the saved one; after a reset (or a saved value the
    /// window does not know) it restarts at the saved reservation, so the next reading needs a new block.
    /// </summary>
    private ReadingCounterWindow WindowOf(GateRecord record)
    {
        if (!_readingWindows.TryGetValue(record.Aid, out ReadingCounterWindow? window) || window.Reserved != record.ReadingCounter)
        {
            ulong last = Math.Max(window?.Last ?? 0, record.ReadingCounter);
            window = new ReadingCounterWindow { Last = last, Reserved = last };
            _readingWindows[record.Aid] = window;
        }

        return window;
    }

    private CardReply Verify(RegistryEntry entry, GateRecord? record, in CardCommand command)
    {
        if (command.P1P2 != 0)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        ReadOnlySpan<byte> data = command.Data;
        if (data.Length < 8 + 16)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        if (record?.MacKey is null)
        {
            return CardReply.Status(StatusWords.ReferencedDataNotFound);
        }

        ulong counter = BinaryPrimitives.ReadUInt64BigEndian(data);
        ReadOnlySpan<byte> payload = data[8..^16];
        int n = GateMac.BuildInput(_input, GateMac.CommandLabel, entry.Aid, counter, payload);
        GateMac.Cmac(record.MacKey, _input, n, _mac);
        byte[] received = data[^16..].ToArray();
        if (!ConstantTime.AreEqual(_mac, 0, received, 0, 16))
        {
            return CardReply.Status(StatusWords.SecurityStatusNotSatisfied);
        }

        if (counter <= record.CommandCounter)
        {
            return CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        // The new counter is durable before '9000' lets the agent act on the command.
        GateRecord next = record.Clone();
        next.CommandCounter = counter;
        return CardReply.Status(Persist(next));
    }

    private ushort Persist(GateRecord record)
    {
        try
        {
            _store.Save(record);
            return StatusWords.Ok;
        }
        catch (GateStoreException)
        {
            return StatusWords.MemoryFailure;
        }
    }
}
